package replay

import (
	"reflect"
	"testing"

	"github.com/selmount/selmount/policies"
)

func TestAuditKeysDropWorkloadsForPodOnlyAudits(t *testing.T) {
	fs := []policies.Finding{
		{Rule: "SELINUX-001", Pod: policies.PodRef{Namespace: "web", Name: "Deployment/frontend"}},
		{Rule: "SELINUX-001", Pod: policies.PodRef{Namespace: "web", Name: "debug"}},
		{Rule: "SELINUX-001", Pod: policies.PodRef{Namespace: "web", Name: "debug"}},
	}
	if got, want := AuditKeys(fs, false), []string{"SELINUX-001 web/Deployment/frontend", "SELINUX-001 web/debug"}; !reflect.DeepEqual(got, want) {
		t.Errorf("all: %q, want %q", got, want)
	}
	if got, want := AuditKeys(fs, true), []string{"SELINUX-001 web/debug"}; !reflect.DeepEqual(got, want) {
		t.Errorf("pods only: %q, want %q", got, want)
	}
}

func TestKeyDifferences(t *testing.T) {
	got := KeyDifferences([]string{"a", "c"}, []string{"a", "b"})
	if want := []string{"missing b", "extra c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
	if d := KeyDifferences([]string{"a"}, []string{"a"}); d != nil {
		t.Errorf("equal sets: %q", d)
	}
}
