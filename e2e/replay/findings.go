package replay

import (
	"regexp"
	"sort"

	"github.com/selmount/selmount/policies"
)

// MapRules are the rules map/ checks per Pod; the others need other Pods and are not compared.
var MapRules = map[string]bool{policies.RuleMultipleLabels: true, policies.RuleOptOut: true, policies.RuleMisuse: true}

// errorsPolicy is the ValidatingAdmissionPolicy whose messages are errors; the other one warns.
const errorsPolicy = "selmount-selinux-errors"

// A Warn binding's warning (and a Deny binding's refusal) reads
// "Validation failed for ValidatingAdmissionPolicy '<policy>' with binding '<binding>': SELINUX-00n: ...".
var policyMessage = regexp.MustCompile(`ValidatingAdmissionPolicy '([^']+)' with binding '[^']*'(?: denied request)?: (SELINUX-00[0-9]):`)

// RulesOfMessages returns "rule/severity" for every selmount message in texts, sorted, once each.
func RulesOfMessages(texts ...string) []string {
	set := map[string]bool{}
	for _, t := range texts {
		for _, m := range policyMessage.FindAllStringSubmatch(t, -1) {
			sev := policies.SeverityWarning
			if m[1] == errorsPolicy {
				sev = policies.SeverityError
			}
			set[m[2]+"/"+sev] = true
		}
	}
	return sorted(set)
}

// RulesOfFindings returns "rule/severity" for the model's findings on map/'s rules, sorted, once each.
func RulesOfFindings(fs []policies.Finding) []string {
	set := map[string]bool{}
	for _, f := range fs {
		if MapRules[f.Rule] {
			set[f.Rule+"/"+f.Severity] = true
		}
	}
	return sorted(set)
}

func sorted(set map[string]bool) []string {
	out := []string{}
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
