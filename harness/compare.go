package harness

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/selmount/selmount/policies"
)

// Difference is one way an engine disagrees with what was wanted.
type Difference struct {
	Scenario string
	Mode     string // "audit" or "admit #<index> <pod>"
	Rule     string
	Pod      string
	// Volume is the finding's volume, when the difference is about a finding that has one.
	Volume string
	Field  string
	Wanted string
	Got    string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s [%s] %s %s %s: wanted %s, got %s", d.Scenario, d.Mode, d.Rule, d.Pod, d.Field, d.Wanted, d.Got)
}

// Want is what an engine must produce for a replay: from expect.yaml for scenarios, from the model
// for generated clusters.
type Want struct {
	Audit        []ExpectedFinding
	Admit        map[int][]ExpectedFinding // by admission index
	ChangePolicy map[string]string
}

// WantFromModel takes the model's own verdicts as the reference.
func WantFromModel(r *Replay) Want {
	w := Want{Audit: expectedOf(r.ModelAudit.Findings), Admit: map[int][]ExpectedFinding{}, ChangePolicy: changePolicies(r)}
	for _, a := range r.Admits {
		w.Admit[a.Index] = expectedOf(a.Model.Findings)
	}
	return w
}

// WantFromExpectation derives each admission's findings from the scenario's audit expectation: those
// about the admitted pod whose other pod (if any) was admitted before it, and, for findings that come
// from a namespace's opt-out label, only once the namespace carried that label value.
func WantFromExpectation(r *Replay) Want {
	exp := r.Scenario.Expect
	w := Want{Audit: exp.Findings, Admit: map[int][]ExpectedFinding{}, ChangePolicy: exp.ChangePolicy}
	for _, a := range r.Admits {
		var fs []ExpectedFinding
		for _, f := range exp.Findings {
			if f.Pod == a.Pod && (f.OtherPod == "" || a.Prior[f.OtherPod]) && labelledAtAdmission(f, a) &&
				(!f.FromUpdate || a.Operation == policies.OperationUpdate) {
				fs = append(fs, f)
			}
		}
		w.Admit[a.Index] = fs
	}
	return w
}

func labelledAtAdmission(f ExpectedFinding, a AdmitCase) bool {
	if f.Rule != policies.RuleOptOut && f.Property != policies.OptOutLabel {
		return true
	}
	ns, _, _ := strings.Cut(f.Pod, "/")
	v, ok := a.OptOut[ns]
	return ok && len(f.Values) == 1 && v == f.Values[0]
}

// Compare lists every difference between an engine's replay and what is wanted, for the rules the
// engine implements, and checks that it evaluated every case it claims and, for a SubjectFirst
// engine, that every message names its own Pod first.
func Compare(r *Replay, rules []string, w Want) []Difference {
	var diffs []Difference
	claimed := map[string]bool{}
	for _, id := range rules {
		claimed[id] = true
	}
	evaluated := map[string]int{}
	for _, a := range r.Admits {
		mode := a.Mode()
		diffs = append(diffs, compareFindings(r.Scenario.Name, mode, claimed, w.Admit[a.Index], a.Got.Findings)...)
		if r.SubjectFirst {
			diffs = append(diffs, compareSubjects(r.Scenario.Name, mode, claimed, a.Got.Findings)...)
		}
		if claimed[policies.RuleOptOut] {
			diffs = append(diffs, compareMutation(r.Scenario.Name, mode, a, w.ChangePolicy)...)
		}
		for id, n := range a.Got.Evaluated {
			evaluated[id] += n
		}
	}
	diffs = append(diffs, compareFindings(r.Scenario.Name, "audit", claimed, w.Audit, r.Audit.Findings)...)
	if r.SubjectFirst {
		diffs = append(diffs, compareSubjects(r.Scenario.Name, "audit", claimed, r.Audit.Findings)...)
	}
	for id, n := range r.Audit.Evaluated {
		evaluated[id] += n
	}
	cases := len(r.Admits) + 1
	for _, id := range rules {
		if evaluated[id] < cases {
			diffs = append(diffs, Difference{Scenario: r.Scenario.Name, Mode: "coverage", Rule: id, Field: "evaluated cases",
				Wanted: fmt.Sprint(cases), Got: fmt.Sprint(evaluated[id])})
		}
	}
	return diffs
}

// compareMutation checks the opt-out on the admitted pod: the value it carries after the engine's
// admission must be the one wanted for it.
func compareMutation(scenario, mode string, a AdmitCase, want map[string]string) []Difference {
	wanted, ok := want[a.Pod]
	if !ok || !a.Last {
		return nil
	}
	obj := a.Got.Object
	if obj == nil {
		obj = a.Object
	}
	got := changePolicyOf(obj)
	if got == wanted {
		return nil
	}
	return []Difference{{Scenario: scenario, Mode: mode, Rule: policies.RuleOptOut, Pod: a.Pod, Field: "seLinuxChangePolicy", Wanted: show(wanted), Got: show(got)}}
}

func show(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

func compareFindings(scenario, mode string, claimed map[string]bool, want []ExpectedFinding, got []policies.Finding) []Difference {
	wantBy := map[string]ExpectedFinding{}
	for _, f := range want {
		if claimed[f.Rule] {
			wantBy[f.key()] = f
		}
	}
	gotBy := map[string]ExpectedFinding{}
	for _, f := range expectedOf(got) {
		if claimed[f.Rule] {
			gotBy[f.key()] = f
		}
	}
	var diffs []Difference
	for _, k := range slices.Sorted(maps.Keys(wantBy)) {
		w := wantBy[k]
		g, ok := gotBy[k]
		switch {
		case !ok:
			diffs = append(diffs, Difference{scenario, mode, w.Rule, w.Pod, w.Volume, "finding", w.describe(), "(none)"})
		case g.Severity != w.Severity:
			diffs = append(diffs, Difference{scenario, mode, w.Rule, w.Pod, w.Volume, "severity of " + w.describe(), w.Severity, g.Severity})
		case g.Latent != w.Latent:
			diffs = append(diffs, Difference{scenario, mode, w.Rule, w.Pod, w.Volume, "latent of " + w.describe(), fmt.Sprint(w.Latent), fmt.Sprint(g.Latent)})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(gotBy)) {
		if _, ok := wantBy[k]; !ok {
			g := gotBy[k]
			diffs = append(diffs, Difference{scenario, mode, g.Rule, g.Pod, g.Volume, "finding", "(none)", g.describe()})
		}
	}
	return diffs
}

func (f ExpectedFinding) key() string {
	return strings.Join([]string{f.Rule, f.Pod, f.OtherPod, f.Volume, f.Property, strings.Join(f.Values, "\x1f")}, "\x1e")
}

func (f ExpectedFinding) describe() string {
	s := f.Rule + " " + f.Pod
	if f.OtherPod != "" {
		s += " vs " + f.OtherPod
	}
	if f.Volume != "" {
		s += " on " + f.Volume
	}
	if f.Property != "" {
		s += " " + f.Property
	}
	if len(f.Values) > 0 {
		s += fmt.Sprintf(" %q", f.Values)
	}
	return s
}

func expectedOf(fs []policies.Finding) []ExpectedFinding {
	out := make([]ExpectedFinding, 0, len(fs))
	for _, f := range fs {
		e := ExpectedFinding{Rule: f.Rule, Severity: f.Severity, Pod: f.Pod.Key(), Volume: f.Volume, Property: f.Property, Values: f.Values, Latent: f.Latent}
		if f.OtherPod != nil {
			e.OtherPod = f.OtherPod.Key()
		}
		out = append(out, e)
	}
	return out
}
