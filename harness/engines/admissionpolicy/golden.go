package admissionpolicy

import (
	"encoding/json"
	"fmt"
	"sort"

	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// GoldenCase is one admission in the style of kaptest: the request, the namespace it lands in, and
// what the admission policies must produce. Volumes are the Pod's volume names.
type GoldenCase struct {
	Name      string `json:"name"`
	Operation string `json:"operation"`
	// Subresource is "ephemeralcontainers" for kubectl debug's UPDATE.
	Subresource string          `json:"subresource,omitempty"`
	Namespace   json.RawMessage `json:"namespace,omitempty"`
	Object      json.RawMessage `json:"object"`
	OldObject   json.RawMessage `json:"oldObject,omitempty"`
	Expect      GoldenExpect    `json:"expect"`
}

// GoldenExpect is the outcome: the policy after mutation ("" when unset) and the findings.
type GoldenExpect struct {
	SELinuxChangePolicy string          `json:"seLinuxChangePolicy"`
	Findings            []GoldenFinding `json:"findings"`
}

// GoldenFinding is a finding without the pod (always the admitted one).
type GoldenFinding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Volume   string   `json:"volume,omitempty"`
	Property string   `json:"property,omitempty"`
	Values   []string `json:"values"`
}

// GoldenFile renders the golden cases of one scenario replay, from the model's verdicts on the rules
// this engine implements; ok is false when the scenario admits nothing the bundle can judge.
func GoldenFile(r *harness.Replay, rules []string) ([]byte, bool, error) {
	claimed := map[string]bool{}
	for _, id := range rules {
		claimed[id] = true
	}
	var cases []GoldenCase
	var prior []cluster.Object
	at := 0
	for i := range r.Scenario.Objects {
		obj := r.Scenario.Objects[i]
		if at < len(r.Admits) && r.Admits[at].Index == i {
			a := r.Admits[at]
			at++
			c, err := goldenCase(r, a, prior, claimed)
			if err != nil {
				return nil, false, err
			}
			cases = append(cases, c)
			if a.Model.Mutated {
				if obj, err = harness.WithChangePolicy(&obj, string(*a.Model.Pod.ChangePolicy())); err != nil {
					return nil, false, err
				}
			}
		}
		prior = replace(prior, obj)
	}
	if len(cases) == 0 {
		return nil, false, nil
	}
	out, err := yaml.Marshal(cases)
	if err != nil {
		return nil, false, err
	}
	header := fmt.Sprintf("# Generated from harness/scenarios/%s by the admission-policy engine's golden test; do not edit.\n", r.Scenario.Name)
	return append([]byte(header), out...), true, nil
}

func replace(objs []cluster.Object, o cluster.Object) []cluster.Object {
	for i := range objs {
		if objs[i].SameObject(&o) {
			objs[i] = o
			return objs
		}
	}
	return append(objs, o)
}

func goldenCase(r *harness.Replay, a harness.AdmitCase, prior []cluster.Object, claimed map[string]bool) (GoldenCase, error) {
	pod, op, err := podOf(a.Object)
	if err != nil {
		return GoldenCase{}, err
	}
	c := GoldenCase{Name: fmt.Sprintf("%s#%d %s", r.Scenario.Name, a.Index, a.Pod), Operation: a.Operation, Subresource: a.Request.Subresource}
	if op == "CREATE" {
		c.Operation = policies.OperationCreate
	}
	if c.Object, err = json.Marshal(pod); err != nil {
		return GoldenCase{}, err
	}
	if c.Operation == policies.OperationUpdate {
		for _, o := range prior {
			if o.SameObject(a.Object) {
				old, _, err := podOf(&o)
				if err != nil {
					return GoldenCase{}, err
				}
				if c.OldObject, err = json.Marshal(old); err != nil {
					return GoldenCase{}, err
				}
			}
		}
	}
	if ns, ok := namespacesOf(prior, pod.Namespace)[pod.Namespace]; ok {
		if c.Namespace, err = json.Marshal(ns); err != nil {
			return GoldenCase{}, err
		}
	}
	if p := a.Model.Pod.ChangePolicy(); p != nil {
		c.Expect.SELinuxChangePolicy = string(*p)
	}
	state := stateWith(prior, nil, a.Object)
	vols, _ := state.ResolvePod(state.Pod(a.Pod))
	c.Expect.Findings = []GoldenFinding{}
	for _, f := range a.Model.Findings {
		if !claimed[f.Rule] {
			continue
		}
		g := GoldenFinding{Rule: f.Rule, Severity: f.Severity, Property: f.Property, Values: f.Values}
		if f.Volume != "" {
			g.Volume = podVolumeName(vols, f.Volume)
		}
		c.Expect.Findings = append(c.Expect.Findings, g)
	}
	return c, nil
}

// podVolumeName names a volume the way the Pod does: the first pod volume (in name order) resolving to key.
func podVolumeName(vols map[string]cluster.Volume, key string) string {
	names := make([]string, 0, len(vols))
	for n := range vols {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if vols[n].Key == key {
			return n
		}
	}
	return key
}
