package harness

import (
	"context"
	"fmt"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// ModelEngine runs the reference model behind the Engine interface.
type ModelEngine struct{}

func (ModelEngine) Name() string { return "model" }

func (ModelEngine) Rules() []string { return ClaimedRules() }

func (e ModelEngine) Admit(_ context.Context, a Admission) (Outcome, error) {
	res, err := policies.Admit(a.Scenario.Profile, stateOf(a.Prior), policies.Request{Operation: a.Operation, Object: a.Object, OldObject: a.OldObject, OptOut: a.Scenario.OptOut})
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Findings: res.Findings, Evaluated: e.everyRule()}
	if res.Mutated {
		obj, err := WithChangePolicy(a.Object, string(*res.Pod.ChangePolicy()))
		if err != nil {
			return Outcome{}, err
		}
		out.Object = &obj
	}
	return out, nil
}

func (e ModelEngine) Audit(_ context.Context, sc *Scenario, objects []cluster.Object) (Outcome, error) {
	rep := policies.AuditScoped(sc.Profile, sc.OptOut, stateOf(objects))
	return Outcome{Findings: rep.Findings, Evaluated: e.everyRule()}, nil
}

func (e ModelEngine) everyRule() map[string]int {
	out := map[string]int{}
	for _, r := range e.Rules() {
		out[r] = 1
	}
	return out
}

// stateOf applies objects in order; later versions replace earlier ones.
func stateOf(objects []cluster.Object) *cluster.State {
	s := cluster.NewState()
	for i := range objects {
		s.Apply(&objects[i])
	}
	return s
}

var _ Engine = ModelEngine{}

// errorf keeps harness errors uniform.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
