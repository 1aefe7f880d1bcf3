package oracle

import (
	"context"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Engine is the `upstream` engine: Kubernetes v1.37.2's own controller, kubelet cache and API
// validation behind harness.Engine, for the rules they decide.
type Engine struct{}

var _ harness.Engine = Engine{}

func (Engine) Name() string { return "upstream" }

func (Engine) Rules() []string {
	return harness.ClaimedRules(harness.Omission{Rule: policies.RuleOptOut,
		Reason: "the namespace opt-out is selmount's own mutation; upstream has no counterpart to run"})
}

// Admit replays the cluster as it is after the admission (the object as mutated by the opt-out, which
// runs before validation) and keeps the findings about the admitted Pod.
func (e Engine) Admit(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	obj := a.Object
	if a.Mutated != nil {
		obj = a.Mutated
	}
	s := cluster.NewState()
	for i := range a.Prior {
		s.Apply(&a.Prior[i])
	}
	s.Apply(obj)
	pod := cluster.PodFromObject(obj)
	var old *cluster.Pod
	if a.OldObject != nil {
		old = cluster.PodFromObject(a.OldObject)
	}
	res, err := Replay(ctx, a.Scenario.Profile, s, old)
	if err != nil {
		return harness.Outcome{}, err
	}
	var mine []policies.Finding
	for _, f := range res.Findings {
		if f.Pod.Key() == pod.Key() {
			mine = append(mine, f)
		}
	}
	return harness.Outcome{Findings: mine, Evaluated: e.everyRule()}, nil
}

func (e Engine) Audit(ctx context.Context, sc *harness.Scenario, objects []cluster.Object) (harness.Outcome, error) {
	s := cluster.NewState()
	for i := range objects {
		s.Apply(&objects[i])
	}
	res, err := Replay(ctx, sc.Profile, s, nil)
	if err != nil {
		return harness.Outcome{}, err
	}
	return harness.Outcome{Findings: res.Findings, Evaluated: e.everyRule()}, nil
}

func (e Engine) everyRule() map[string]int {
	out := map[string]int{}
	for _, r := range e.Rules() {
		out[r] = 1
	}
	return out
}
