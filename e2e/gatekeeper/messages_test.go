package gatekeeper

import (
	"reflect"
	"testing"

	"github.com/selmount/selmount/policies"
)

func TestRulesOfWarningsAndRefusals(t *testing.T) {
	warn := "[selmount-selinux-003] SELINUX-003: Pod shop/web: containers of web mount volume \"data\" with different SELinux labels"
	deny := `admission webhook "validation.gatekeeper.sh" denied the request: [selmount-selinux-006-deny] SELINUX-006: Pod shop/db: stuck` + "\n" +
		"[selmount-selinux-001] SELINUX-001: Pod shop/db: conflict"
	rules, denied := Rules(warn)
	if !reflect.DeepEqual(rules, []string{"SELINUX-003"}) || denied {
		t.Errorf("warning: %v denied=%v", rules, denied)
	}
	rules, denied = Rules(deny, warn)
	if !reflect.DeepEqual(rules, []string{"SELINUX-001", "SELINUX-003", "SELINUX-006"}) || !denied {
		t.Errorf("refusal: %v denied=%v", rules, denied)
	}
	if rules, _ := Rules("[other-constraint] SELINUX-003: not ours", "SELINUX-003 without a constraint"); len(rules) != 0 {
		t.Errorf("foreign messages read as selmount's: %v", rules)
	}
}

func TestModelRefuses(t *testing.T) {
	f := func(rule, sev string) policies.Finding { return policies.Finding{Rule: rule, Severity: sev} }
	cases := []struct {
		fs         []policies.Finding
		deny, want bool
	}{
		{[]policies.Finding{f(policies.RuleMisuse, policies.SeverityError)}, false, true}, // the API server refuses
		{[]policies.Finding{f(policies.RuleMultipleLabels, policies.SeverityError)}, false, false},
		{[]policies.Finding{f(policies.RuleMultipleLabels, policies.SeverityError)}, true, true},
		{[]policies.Finding{f(policies.RuleLabelConflict, policies.SeverityError)}, true, false}, // no deny constraint
		{[]policies.Finding{f(policies.RuleWillBreak, policies.SeverityWarning)}, true, false},
	}
	for i, c := range cases {
		if got := ModelRefuses(c.fs, c.deny); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
}
