package harness

import (
	"context"
	"fmt"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// AdmitCase is one admission with the model's verdict and the engine's.
type AdmitCase struct {
	Index     int
	Pod       string // "namespace/name"
	Operation string
	Object    *cluster.Object
	// Last is true when no later admission of the same pod follows.
	Last bool
	// Prior keys are the pods already admitted, for deriving expectations.
	Prior map[string]bool
	// OptOut is each namespace's opt-out label value at the time of the admission.
	OptOut map[string]string
	Model  policies.AdmitResult
	Got    Outcome
	// Request is what the engine was asked, for reinvoking it (Safety).
	Request Admission
}

// Mode names the admission in differences: "admit #<index> <pod>".
func (a AdmitCase) Mode() string { return fmt.Sprintf("admit #%d %s", a.Index, a.Pod) }

// Replay is one engine's run over one scenario.
type Replay struct {
	Scenario *Scenario
	Engine   string
	// SubjectFirst is set for engines that promise subject-first messages (see SubjectFirst).
	SubjectFirst bool
	Admits       []AdmitCase
	// Final is the state after every admission, as the model admitted it.
	Final      []cluster.Object
	ModelAudit policies.Report
	Audit      Outcome
}

// Run replays a scenario through an engine. Objects are applied in order; Pods and workloads are
// admitted (UPDATE when the same object came before). The cluster each step sees is the model's, so
// one engine difference does not cascade into the following steps.
func Run(ctx context.Context, eng Engine, sc *Scenario) (*Replay, error) {
	r := &Replay{Scenario: sc, Engine: eng.Name()}
	if s, ok := eng.(SubjectFirst); ok {
		r.SubjectFirst = s.SubjectFirst()
	}
	var current []cluster.Object
	position := map[string]int{}
	state := cluster.NewState()
	for i := range sc.Objects {
		obj := sc.Objects[i]
		id := obj.Identity()
		if pod := cluster.PodFromObject(&obj); pod != nil {
			a := Admission{Scenario: sc, Index: i, Operation: policies.OperationCreate, Object: &obj, Prior: current}
			if at, seen := position[id]; seen {
				a.Operation, a.OldObject = policies.OperationUpdate, &current[at]
				a.Subresource = subresourceOf(a.OldObject, a.Object)
			}
			model, err := policies.Admit(sc.Profile, state, policies.Request{Operation: a.Operation, Object: a.Object, OldObject: a.OldObject, OptOut: sc.OptOut})
			if err != nil {
				return nil, err
			}
			if model.Mutated {
				mutated, err := WithChangePolicy(&obj, string(*model.Pod.ChangePolicy()))
				if err != nil {
					return nil, err
				}
				a.Mutated = &mutated
			}
			got, err := eng.Admit(ctx, a)
			if err != nil {
				return nil, errorf("%s: engine %s: admit %s: %v", sc.Name, eng.Name(), obj.ID(), err)
			}
			prior := map[string]bool{}
			for _, p := range state.Pods {
				prior[p.Key()] = true
			}
			optOut := map[string]string{}
			for name, ns := range state.Namespaces {
				if v, ok := ns.Labels[policies.OptOutLabel]; ok {
					optOut[name] = v
				}
			}
			r.Admits = append(r.Admits, AdmitCase{Index: i, Pod: pod.Key(), Operation: a.Operation, Object: &sc.Objects[i],
				Prior: prior, OptOut: optOut, Model: model, Got: got, Request: a})
			state = model.State
			if a.Mutated != nil {
				obj = *a.Mutated
			}
		} else {
			state = state.Clone()
			state.Apply(&obj)
		}
		if at, seen := position[id]; seen {
			current[at] = obj
		} else {
			position[id] = len(current)
			current = append(current, obj)
		}
	}
	last := map[string]int{}
	for i, a := range r.Admits {
		last[a.Pod] = i
	}
	for i := range r.Admits {
		r.Admits[i].Last = last[r.Admits[i].Pod] == i
	}
	r.Final = current
	r.ModelAudit = policies.AuditScoped(sc.Profile, sc.OptOut, state)
	got, err := eng.Audit(ctx, sc, current)
	if err != nil {
		return nil, errorf("%s: engine %s: audit: %v", sc.Name, eng.Name(), err)
	}
	r.Audit = got
	return r, nil
}
