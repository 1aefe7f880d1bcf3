package replay

import (
	"reflect"
	"testing"

	"github.com/selmount/selmount/policies"
)

func TestRulesOfMessages(t *testing.T) {
	got := RulesOfMessages(
		`Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-warnings' with binding 'selmount-selinux-warnings': SELINUX-004: the namespace is opted out (Recursive), but ...`,
		`Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-errors' with binding 'selmount-selinux-errors': SELINUX-003: volume "data" is mounted with different SELinux labels`,
		`Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-errors' with binding 'selmount-selinux-errors': SELINUX-003: again`,
		`pods "p" is forbidden: ValidatingAdmissionPolicy 'selmount-selinux-errors' with binding 'selmount-selinux-errors' denied request: SELINUX-005: refused`,
		`metadata.name: this is some other warning`,
	)
	want := []string{"SELINUX-003/error", "SELINUX-004/warning", "SELINUX-005/error"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRulesOfFindingsKeepsMapRulesOnly(t *testing.T) {
	got := RulesOfFindings([]policies.Finding{
		{Rule: policies.RuleLabelConflict, Severity: policies.SeverityWarning},
		{Rule: policies.RuleMisuse, Severity: policies.SeverityError},
		{Rule: policies.RuleWillBreak, Severity: policies.SeverityError},
	})
	if want := []string{"SELINUX-005/error"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
