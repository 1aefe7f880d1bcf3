package harness

import (
	"fmt"

	"github.com/selmount/selmount/policies"
)

// Omission is a catalogue rule an engine does not implement, and why (what its language or position
// cannot see). Engines claim the catalogue minus their omissions, so a rule added to the catalogue is
// claimed by every engine at once and the coverage check fails until each implements or omits it.
type Omission struct {
	Rule   string
	Reason string
}

// ClaimedRules is the catalogue's rules without the omitted ones. An omission without a reason, or of
// a rule the catalogue does not have, panics: the omit list is code, and a stale one is a bug.
func ClaimedRules(omit ...Omission) []string {
	return claimedFrom(policies.Catalogue(), omit)
}

func claimedFrom(catalogue []policies.Rule, omit []Omission) []string {
	known := map[string]bool{}
	for _, r := range catalogue {
		known[r.ID] = true
	}
	skip := map[string]bool{}
	for _, o := range omit {
		if !known[o.Rule] || o.Reason == "" {
			panic(fmt.Sprintf("omission %+v: the catalogue has no such rule, or no reason is given", o))
		}
		skip[o.Rule] = true
	}
	var out []string
	for _, r := range catalogue {
		if !skip[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}
