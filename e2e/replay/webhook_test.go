package replay

import (
	"reflect"
	"testing"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"

	"github.com/selmount/selmount/policies"
)

func TestWebhookRuleIDsReadWarningsAndRefusals(t *testing.T) {
	got := WebhookRuleIDs(
		"SELINUX-006: backup stays in ContainerCreating",
		`admission webhook "checks.selmount.io" denied the request: SELINUX-003: two labels; SELINUX-005: refused`,
		"selmount: cannot read the object: not SELINUX-001: quoted",
	)
	if want := []string{"SELINUX-003", "SELINUX-005", "SELINUX-006"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWebhookRulesTakeTheSeverityOfTheirFinding(t *testing.T) {
	fs := []policies.Finding{
		{Rule: policies.RuleMisuse, Severity: policies.SeverityError, Message: "SELINUX-005: a"},
		{Rule: policies.RuleOptOut, Severity: policies.SeverityWarning, Message: "SELINUX-004: b"},
	}
	rules, stray := WebhookRules([]string{"SELINUX-005: a", "SELINUX-005: other"}, fs)
	if want := []string{"SELINUX-005/error"}; !reflect.DeepEqual(rules, want) {
		t.Errorf("rules %v, want %v", rules, want)
	}
	if want := []string{"SELINUX-005: other"}; !reflect.DeepEqual(stray, want) {
		t.Errorf("stray %v, want %v", stray, want)
	}
	if got, want := AllRulesOfFindings(fs), []string{"SELINUX-004/warning", "SELINUX-005/error"}; !reflect.DeepEqual(got, want) {
		t.Errorf("all rules %v, want %v", got, want)
	}
}

func TestWebhookFindingsFromTheAuditAnnotation(t *testing.T) {
	ev := &auditv1.Event{AuditID: "x", Annotations: map[string]string{
		"checks.selmount.io/findings": `[{"rule":"SELINUX-006","severity":"error","message":"SELINUX-006: m"}]`,
	}}
	fs, ok, err := WebhookFindings(ev, "checks.selmount.io")
	if err != nil || !ok || len(fs) != 1 || fs[0].Rule != "SELINUX-006" {
		t.Fatalf("got %v %v %v", fs, ok, err)
	}
	if _, ok, _ := WebhookFindings(ev, "other.example.com"); ok {
		t.Error("another webhook's annotation was read")
	}
	ev.Annotations["checks.selmount.io/findings"] = "{"
	if _, _, err := WebhookFindings(ev, "checks.selmount.io"); err == nil {
		t.Error("a broken annotation was read")
	}
}
