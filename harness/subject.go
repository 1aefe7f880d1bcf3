package harness

import (
	"fmt"
	"strings"

	"github.com/selmount/selmount/policies"
)

// SubjectFirst is implemented by engines whose messages are read out of context (conftest output,
// audit results in a constraint's status or a PolicyReport): each message must name the finding's
// own Pod first, and Compare checks it on every finding of such an engine.
type SubjectFirst interface {
	SubjectFirst() bool
}

// Subject is how a message names the Pod or workload a finding is about: "<Kind> <namespace>/<name>"
// (a workload's PodRef name is "<Kind>/<name>"). It is always the finding's own Pod, so it never
// names a Pod of another namespace.
func Subject(p policies.PodRef) string {
	kind, name := "Pod", p.Name
	if k, n, ok := strings.Cut(p.Name, "/"); ok {
		kind, name = k, n
	}
	return kind + " " + p.Namespace + "/" + name
}

// CheckSubject returns an error unless the finding's message is "<rule>: <Subject>" followed by ": "
// or by " " and more words (e.g. " in <file>: "), so that the message names its own Pod first. A
// workload's finding may instead name one of the workload's Pods, "Pod <namespace>/<name>-…", as an
// engine that judges a workload when its controller creates its Pods (Kyverno) reports that Pod.
func CheckSubject(f policies.Finding) error {
	want := f.Rule + ": " + Subject(f.Pod)
	if followed(f.Message, want) {
		return nil
	}
	if _, name, ok := strings.Cut(f.Pod.Name, "/"); ok {
		if rest, ok := strings.CutPrefix(f.Message, f.Rule+": Pod "+f.Pod.Namespace+"/"+name+"-"); ok {
			if suffix, _, found := strings.Cut(rest, ": "); found && suffix != "" && !strings.ContainsAny(suffix, " /:") {
				return nil
			}
		}
	}
	return fmt.Errorf("message does not start with %q: %q", want+": ", f.Message)
}

// followed: msg starts with prefix and then ": " or " ".
func followed(msg, prefix string) bool {
	rest, ok := strings.CutPrefix(msg, prefix)
	return ok && (strings.HasPrefix(rest, ": ") || strings.HasPrefix(rest, " "))
}

// subjectField is the Difference.Field of a message that does not name its own Pod first.
const subjectField = "message subject"

// compareSubjects lists the findings (of the claimed rules) whose message does not name its own Pod first.
func compareSubjects(scenario, mode string, claimed map[string]bool, got []policies.Finding) []Difference {
	var diffs []Difference
	for _, f := range got {
		if !claimed[f.Rule] || CheckSubject(f) == nil {
			continue
		}
		diffs = append(diffs, Difference{Scenario: scenario, Mode: mode, Rule: f.Rule, Pod: f.Pod.Key(), Volume: f.Volume,
			Field: subjectField, Wanted: fmt.Sprintf("%q first", f.Rule+": "+Subject(f.Pod)), Got: fmt.Sprintf("%q", f.Message)})
	}
	return diffs
}
