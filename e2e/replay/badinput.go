package replay

import (
	"context"
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// BadInput is one request sent to test the bundle at its limits rather than a cluster a scenario
// describes: what was sent, what is expected (the model's outcome, or a stated expectation and why)
// and what the server did.
type BadInput struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Bundle      string   `json:"bundle"`
	Request     string   `json:"request"`
	Expected    string   `json:"expected"`
	Server      string   `json:"server"`
	Differences []string `json:"differences,omitempty"`
}

// badInputCase runs one case on a server with bundle applied; denies as for Scenario.
type badInputCase struct {
	bundles []string // the bundles it is run with
	run     func(ctx context.Context, c *Clients, version, bundle string, denies bool) ([]BadInput, error)
}

// badInputs are the cases, in report order. The deny overlay matters only where a rule is refused.
var badInputs = []badInputCase{
	{[]string{"map", "map/overlays/deny"}, hundredLevels},
	{[]string{"map"}, changePolicyUpdates},
	{[]string{"map"}, labelUpdateOptedOut},
}

// BadInputs runs every case meant for bundle, deleting what each created.
func (c *Clients) BadInputs(ctx context.Context, version, bundle string, denies bool) ([]BadInput, error) {
	var out []BadInput
	for _, bc := range badInputs {
		if !slices.Contains(bc.bundles, bundle) {
			continue
		}
		rows, err := bc.run(ctx, c, version, bundle, denies)
		if err != nil {
			return out, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// fromPod sets a compared admission out as a case's row.
func fromPod(name, version, bundle, req string, p PodResult) BadInput {
	return BadInput{Name: name, Version: version, Bundle: bundle, Request: req,
		Expected:    "model: " + outcome(!p.ModelRefuses, p.ModelChangePolicy, p.ModelRules, p.ModelEvaluated, p.ModelAuditRules),
		Server:      outcome(p.Accepted, p.ChangePolicy, p.Rules, p.Evaluated, p.AuditRules),
		Differences: p.Differences}
}

// outcome is one line for an admission: accepted or refused, the stored seLinuxChangePolicy, the
// rules of its messages and what its audit event says.
func outcome(accepted bool, changePolicy string, rules, evaluated, audited []string) string {
	s := "refused"
	if accepted {
		s = fmt.Sprintf("accepted, seLinuxChangePolicy %q", changePolicy)
	}
	return fmt.Sprintf("%s; rules %v; audit: evaluated by %v, validation_failure %v", s, rules, evaluated, audited)
}

// unreadMessages are the server's texts from selmount's policies that name no rule: a message the
// server replaced (too long: "failed expression: ...") or an evaluation error, for the report.
func unreadMessages(texts []string) []string {
	var out []string
	for _, t := range texts {
		if strings.Contains(t, "ValidatingAdmissionPolicy 'selmount-") && len(RulesOfMessages(t)) == 0 {
			if len(t) > 300 {
				t = t[:300] + "…"
			}
			out = append(out, "server message without a rule: "+t)
		}
	}
	return out
}

// scenarioOf builds an in-memory scenario from YAML documents, for the model.
func scenarioOf(name, profile, docs string) (*harness.Scenario, error) {
	objs, err := cluster.Decode(name, []byte(docs))
	if err != nil {
		return nil, err
	}
	p, err := gates.Parse(profile)
	if err != nil {
		return nil, err
	}
	return &harness.Scenario{Name: name, Profile: p, Objects: objs}, nil
}

// storedChangePolicy reads the stored Pod's seLinuxChangePolicy.
func (c *Clients) storedChangePolicy(ctx context.Context, pod *unstructured.Unstructured) (string, error) {
	res, _, err := c.resourceFor(pod)
	if err != nil {
		return "", err
	}
	cur, err := res.Get(ctx, pod.GetName(), metav1.GetOptions{})
	if err != nil {
		return "", err
	}
	cp, _, _ := unstructured.NestedString(cur.Object, "spec", "securityContext", "seLinuxChangePolicy")
	return cp, nil
}
