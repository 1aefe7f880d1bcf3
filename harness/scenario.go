// Package harness replays scenario clusters through every engine and compares each outcome with the
// reference model in policies/.
package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Scenario is a cluster to replay: objects in admission order, a gate profile, and what must come out.
type Scenario struct {
	Name    string
	Profile gates.Profile
	// OptOut is the scope of the installed opt-out (zero: the default, namespace labels).
	OptOut  policies.OptOutScope
	Objects []cluster.Object
	Expect  Expectation
}

// Expectation is a scenario's hand-written expect.yaml.
type Expectation struct {
	Description string `json:"description"`
	// Findings are the Audit findings of the state after every admission.
	Findings []ExpectedFinding `json:"findings"`
	// ChangePolicy is every pod's spec.securityContext.seLinuxChangePolicy after admission, "" for unset.
	ChangePolicy map[string]string `json:"changePolicy"`
}

// ExpectedFinding names a finding by its comparable fields; pods are "namespace/name".
type ExpectedFinding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Pod      string   `json:"pod"`
	OtherPod string   `json:"otherPod,omitempty"`
	Volume   string   `json:"volume,omitempty"`
	Property string   `json:"property,omitempty"`
	Values   []string `json:"values,omitempty"`
	Latent   bool     `json:"latent,omitempty"`
	// FromUpdate is set when the finding's cause arrives with an UPDATE of its Pod (kubectl debug's
	// ephemeral container): it is wanted from that admission on, not at the Pod's CREATE.
	FromUpdate bool `json:"fromUpdate,omitempty"`
}

// Files of a scenario folder.
const (
	ObjectsFile = "objects.yaml"
	ExpectFile  = "expect.yaml"
	ProfileFile = "profile"
)

// LoadScenario reads one scenario folder.
func LoadScenario(dir string) (*Scenario, error) {
	sc := &Scenario{Name: filepath.Base(dir)}
	data, err := os.ReadFile(filepath.Join(dir, ObjectsFile))
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %v", sc.Name, err)
	}
	if sc.Objects, err = cluster.Decode(filepath.Join(dir, ObjectsFile), data); err != nil {
		return nil, err
	}
	if err := checkAdmissible(sc.Objects); err != nil {
		return nil, fmt.Errorf("scenario %s: %v", sc.Name, err)
	}
	profile := ""
	if b, err := os.ReadFile(filepath.Join(dir, ProfileFile)); err == nil {
		profile = strings.TrimSpace(string(b))
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("scenario %s: %v", sc.Name, err)
	}
	if sc.Profile, err = gates.Parse(profile); err != nil {
		return nil, fmt.Errorf("scenario %s: %s: %v", sc.Name, ProfileFile, err)
	}
	exp, err := os.ReadFile(filepath.Join(dir, ExpectFile))
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %v", sc.Name, err)
	}
	if err := yaml.UnmarshalStrict(exp, &sc.Expect); err != nil {
		return nil, fmt.Errorf("scenario %s: %s: %v", sc.Name, ExpectFile, err)
	}
	return sc, nil
}

// LoadScenarios reads every scenario folder under root, sorted by name.
func LoadScenarios(root string) ([]*Scenario, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	out := make([]*Scenario, 0, len(names))
	for _, n := range names {
		sc, err := LoadScenario(filepath.Join(root, n))
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}
