package harness

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Safety properties every engine must keep, whatever the model says about the rest. A violation is
// reported as a Difference whose field starts with "safety:", so that the usual checks fail on it and
// an engine's known-divergence classifier can name a documented exception (Gatekeeper's unlabelled
// Windows Pods).
const (
	SafetyUpdate    = "safety: mutated an UPDATE"
	SafetyOverwrite = "safety: overwrote seLinuxChangePolicy"
	SafetyWindows   = "safety: mutated a Windows Pod"
	SafetyOther     = "safety: changed a field other than seLinuxChangePolicy"
	SafetyReinvoke  = "safety: not idempotent under reinvocation"
	SafetyCensor    = "safety: message names a Pod of another namespace"
)

// Safety checks one replay of e: the opt-out never mutates an UPDATE, never overwrites a value, never
// touches a Windows Pod, changes nothing but the policy and is idempotent when the API server
// reinvokes it; no message (admission or audit) names a Pod of another namespace. Reinvocation calls
// e.Admit again, once per admission the engine mutated.
func Safety(ctx context.Context, e Engine, r *Replay) ([]Difference, error) {
	var out []Difference
	for _, a := range r.Admits {
		mode := a.Mode()
		for _, f := range a.Got.Findings {
			if d, bad := censorship(r.Scenario.Name, mode, f); bad {
				out = append(out, d)
			}
		}
		if a.Got.Object == nil {
			continue
		}
		violations, err := mutationViolations(a.Object, a.Got.Object, a.Operation)
		if err != nil {
			return nil, err
		}
		for _, v := range violations {
			out = append(out, Difference{Scenario: r.Scenario.Name, Mode: mode, Rule: policies.RuleOptOut, Pod: a.Pod, Field: v})
		}
		again := a.Request
		again.Object, again.Mutated = a.Got.Object, nil
		got, err := e.Admit(ctx, again)
		if err != nil {
			return nil, errorf("%s: engine %s: reinvoke %s: %v", r.Scenario.Name, e.Name(), a.Pod, err)
		}
		if got.Object != nil && !sameDocument(got.Object, a.Got.Object) {
			out = append(out, Difference{Scenario: r.Scenario.Name, Mode: mode, Rule: policies.RuleOptOut, Pod: a.Pod, Field: SafetyReinvoke})
		}
	}
	for _, f := range r.Audit.Findings {
		if d, bad := censorship(r.Scenario.Name, "audit", f); bad {
			out = append(out, d)
		}
	}
	return out, nil
}

// censorship reports a finding whose message names its other Pod when that Pod lives in another
// namespace (the controller's rule: the name and value are hidden across namespaces).
func censorship(scenario, mode string, f policies.Finding) (Difference, bool) {
	o := f.OtherPod
	if o == nil || o.Namespace == f.Pod.Namespace || o.Name == f.Pod.Name {
		return Difference{}, false
	}
	// The wordings that name a Pod: the controller's same-namespace event text, and namespace/name.
	// Narrow on purpose, so that a fuzzed name equal to a label value or a word is no false alarm.
	if !strings.Contains(f.Message, o.Namespace+"/"+o.Name) && !strings.Contains(f.Message, "conflicts with pod "+o.Name+" ") {
		return Difference{}, false
	}
	return Difference{Scenario: scenario, Mode: mode, Rule: f.Rule, Pod: f.Pod.Namespace + "/" + f.Pod.Name,
		Volume: f.Volume, Field: SafetyCensor, Got: f.Message}, true
}

// mutationViolations compares what an engine admitted with what it was given.
func mutationViolations(in, out *cluster.Object, operation string) ([]string, error) {
	var before, after map[string]any
	if err := json.Unmarshal(in.Raw, &before); err != nil {
		return nil, errorf("%s: %v", in.Source, err)
	}
	if err := json.Unmarshal(out.Raw, &after); err != nil {
		return nil, errorf("%s (mutated): %v", in.Source, err)
	}
	path := templatePath[in.Kind]
	if path == nil && in.Kind != "Pod" {
		return nil, errorf("%s: %s has no pod spec", in.Source, in.ID())
	}
	specPath := append(append([]string{}, path...), "spec")
	oldValue, hadValue := popPolicy(before, specPath)
	newValue, _ := popPolicy(after, specPath)
	if reflect.DeepEqual(before, after) && oldValue == newValue {
		return nil, nil // an engine that returns the object unchanged mutated nothing
	}
	var v []string
	// A workload admission stands for the Pods its controller creates (each a CREATE), so only a Pod
	// UPDATE is an update of the Pod itself.
	if operation != policies.OperationCreate && in.Kind == "Pod" {
		v = append(v, SafetyUpdate)
	}
	// An explicit null is no value (the API server drops it): setting it is no overwrite.
	if hadValue && oldValue != nil && oldValue != newValue {
		v = append(v, SafetyOverwrite)
	}
	if pod := cluster.PodFromObject(in); pod != nil && pod.Windows() {
		v = append(v, SafetyWindows)
	}
	if !reflect.DeepEqual(before, after) {
		v = append(v, SafetyOther)
	}
	return v, nil
}

// popPolicy removes the pod spec's seLinuxChangePolicy and returns its value. It also removes the
// maps on its path left empty, before as after the mutation: a mutation adds them to a Pod or
// template that had none, and they hold nothing else.
func popPolicy(doc map[string]any, specPath []string) (value any, present bool) {
	path := append(append([]string{}, specPath...), "securityContext")
	maps := []map[string]any{doc}
	for _, k := range path {
		parent := maps[len(maps)-1]
		next, _ := parent[k].(map[string]any)
		if next == nil {
			if v, ok := parent[k]; ok && v == nil {
				// null is unset to the API server: a mutation that fills a null spec or
				// securityContext with the policy changes nothing else, like one that adds it.
				delete(parent, k)
			}
			break
		}
		maps = append(maps, next)
	}
	if len(maps) == len(path)+1 {
		sc := maps[len(path)]
		value, present = sc["seLinuxChangePolicy"]
		delete(sc, "seLinuxChangePolicy")
	}
	for i := len(maps) - 2; i >= 0 && len(maps[i+1]) == 0; i-- {
		delete(maps[i], path[i])
	}
	return value, present
}

func sameDocument(a, b *cluster.Object) bool {
	var x, y any
	return json.Unmarshal(a.Raw, &x) == nil && json.Unmarshal(b.Raw, &y) == nil && reflect.DeepEqual(x, y)
}
