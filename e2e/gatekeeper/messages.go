package gatekeeper

import (
	"regexp"
	"strings"

	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/policies"
)

// Gatekeeper's webhook writes each violation as "[<constraint>] <message>", as a warning for a warn
// constraint and inside the refusal for a deny one; selmount's messages start with the rule.
var violation = regexp.MustCompile(`\[(selmount-[a-z0-9-]+)\] (SELINUX-00[0-9]):`)

// denySuffix names the deny overlay's constraints (gatekeeper/overlays/deny).
const denySuffix = "-deny"

// Rules returns the rule IDs of the selmount violations in texts, sorted, once each, and whether
// any came from a deny constraint.
func Rules(texts ...string) (rules []string, denied bool) {
	set := map[string]bool{}
	for _, t := range texts {
		for _, m := range violation.FindAllStringSubmatch(t, -1) {
			set[m[2]] = true
			denied = denied || strings.HasSuffix(m[1], denySuffix)
		}
	}
	return replay.SortedKeys(set), denied
}

// ModelRules returns the rule IDs of the model's findings, sorted, once each: Gatekeeper checks every
// rule, the referential ones through data.inventory.
func ModelRules(fs []policies.Finding) []string {
	set := map[string]bool{}
	for _, f := range fs {
		set[f.Rule] = true
	}
	return replay.SortedKeys(set)
}

// denyRules are the rules whose error findings the deny overlay refuses.
var denyRules = map[string]bool{policies.RuleMultipleLabels: true, policies.RuleMisuse: true, policies.RuleWillBreak: true}

// ModelRefuses is true when the model says the request is refused: by the API server's own validation
// (a SELINUX-005 error) or, with the deny overlay, by a deny constraint.
func ModelRefuses(fs []policies.Finding, deny bool) bool {
	for _, f := range fs {
		if f.Severity != policies.SeverityError {
			continue
		}
		if f.Rule == policies.RuleMisuse || (deny && denyRules[f.Rule]) {
			return true
		}
	}
	return false
}
