package harness

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// lossyEngine wraps the model and damages its output in one chosen way.
type lossyEngine struct {
	ModelEngine
	dropRule   string // drop this rule's findings
	skipRule   string // claim this rule but never report evaluating it
	noMutation bool
	rules      []string
}

func (e lossyEngine) Rules() []string {
	if e.rules != nil {
		return e.rules
	}
	return e.ModelEngine.Rules()
}

func (e lossyEngine) damage(o Outcome) Outcome {
	var kept []policies.Finding
	for _, f := range o.Findings {
		if f.Rule != e.dropRule {
			kept = append(kept, f)
		}
	}
	o.Findings = kept
	delete(o.Evaluated, e.skipRule)
	if e.noMutation {
		o.Object = nil
	}
	return o
}

func (e lossyEngine) Admit(ctx context.Context, a Admission) (Outcome, error) {
	o, err := e.ModelEngine.Admit(ctx, a)
	return e.damage(o), err
}

func (e lossyEngine) Audit(ctx context.Context, sc *Scenario, objs []cluster.Object) (Outcome, error) {
	o, err := e.ModelEngine.Audit(ctx, sc, objs)
	return e.damage(o), err
}

func blogScenario(t *testing.T) *Scenario {
	sc, err := LoadScenario("scenarios/blog-privileged-and-unprivileged")
	require.NoError(t, err)
	return sc
}

func TestCompareNamesEachDifference(t *testing.T) {
	sc := blogScenario(t)
	r, err := Run(context.Background(), lossyEngine{dropRule: policies.RuleWillBreak}, sc)
	require.NoError(t, err)
	diffs := Compare(r, lossyEngine{}.Rules(), WantFromExpectation(r))
	require.Len(t, diffs, 2, "missing in the admission of backup and in the audit: %v", diffs)
	d := diffs[0]
	require.Equal(t, Difference{Scenario: sc.Name, Mode: "admit #5 shop/backup", Rule: policies.RuleWillBreak, Pod: "shop/backup", Volume: "pvc/shop/uploads", Field: "finding",
		Wanted: `SELINUX-006 shop/backup vs shop/app on pvc/shop/uploads ["" "system_u:object_r:container_file_t:s0:c123,c456"]`, Got: "(none)"}, d)
	require.Equal(t, "audit", diffs[1].Mode)
}

func TestCompareOnlyJudgesClaimedRules(t *testing.T) {
	r, err := Run(context.Background(), lossyEngine{dropRule: policies.RuleWillBreak}, blogScenario(t))
	require.NoError(t, err)
	require.Empty(t, Compare(r, []string{policies.RuleLabelConflict, policies.RulePolicyConflict}, WantFromExpectation(r)))
}

func TestCompareFailsAnEngineThatSkipsCases(t *testing.T) {
	eng := lossyEngine{skipRule: policies.RuleMultipleLabels}
	r, err := Run(context.Background(), eng, blogScenario(t))
	require.NoError(t, err)
	diffs := Compare(r, eng.Rules(), WantFromExpectation(r))
	require.Len(t, diffs, 1)
	require.Equal(t, "coverage", diffs[0].Mode)
	require.Equal(t, policies.RuleMultipleLabels, diffs[0].Rule)
	require.Equal(t, "3", diffs[0].Wanted, "two admissions and one audit")
	require.Equal(t, "0", diffs[0].Got)
}

func TestCompareChecksTheMutation(t *testing.T) {
	sc := &Scenario{Name: "opt-out", Profile: blogScenario(t).Profile}
	objs, err := cluster.Decode("x.yaml", []byte(`
apiVersion: v1
kind: Namespace
metadata: {name: rec, labels: {selmount.io/change-policy: Recursive}}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: rec}
spec: {containers: [{name: c}]}
`))
	require.NoError(t, err)
	sc.Objects = objs
	sc.Expect = Expectation{ChangePolicy: map[string]string{"rec/p": "Recursive"}}
	r, err := Run(context.Background(), lossyEngine{noMutation: true}, sc)
	require.NoError(t, err)
	diffs := Compare(r, lossyEngine{}.Rules(), WantFromExpectation(r))
	require.Equal(t, []Difference{{Scenario: "opt-out", Mode: "admit #1 rec/p", Rule: policies.RuleOptOut, Pod: "rec/p", Field: "seLinuxChangePolicy", Wanted: "Recursive", Got: "(unset)"}}, diffs)

	r, err = Run(context.Background(), ModelEngine{}, sc)
	require.NoError(t, err)
	require.Empty(t, Compare(r, ModelEngine{}.Rules(), WantFromExpectation(r)))
}
