package replay

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"

	"github.com/selmount/selmount/policies"
)

func TestReadAuditedNamesPoliciesAndRules(t *testing.T) {
	ev := &auditv1.Event{AuditID: "x", Annotations: map[string]string{
		"selmount-selinux-errors/evaluated":         "SELINUX-003,SELINUX-005",
		"selmount-selinux-warnings/evaluated":       "SELINUX-003,SELINUX-004,SELINUX-005",
		"pod-security.kubernetes.io/enforce-policy": "privileged:latest",
		validationFailureKey: `[{"message":"SELINUX-003: volume \"data\" is mounted with different SELinux labels","policy":"selmount-selinux-errors","binding":"selmount-selinux-errors","expressionIndex":2,"validationActions":["Warn","Audit"]},` +
			`{"message":"SELINUX-004: the namespace is opted out (Recursive)","policy":"selmount-selinux-warnings","binding":"selmount-selinux-warnings","expressionIndex":2,"validationActions":["Warn","Audit"]}]`,
	}}
	got, err := ReadAudited(ev)
	if err != nil {
		t.Fatal(err)
	}
	want := Audited{Evaluated: []string{"selmount-selinux-errors", "selmount-selinux-warnings"}, Rules: []string{"SELINUX-003/error", "SELINUX-004/warning"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := ReadAudited(&auditv1.Event{Annotations: map[string]string{validationFailureKey: "not json"}}); err == nil {
		t.Error("an unreadable validation_failure was ignored")
	}
}

func TestExpectedAudit(t *testing.T) {
	pol, err := NewPolicies(basePolicies(t))
	if err != nil {
		t.Fatal(err)
	}
	create := Request{"CREATE", "", "v1", "pods", ""}
	got := ExpectedAudit(pol, create, []string{"SELINUX-003/error", "SELINUX-004/warning"}, false)
	want := Audited{Evaluated: []string{"selmount-selinux-errors", "selmount-selinux-warnings"}, Rules: []string{"SELINUX-003/error", "SELINUX-004/warning"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// Refused by the API server's validation: admission never ran.
	if got := ExpectedAudit(pol, create, []string{"SELINUX-005/error"}, true); len(got.Evaluated)+len(got.Rules) != 0 {
		t.Errorf("expected audit annotations on a request validation refuses: %+v", got)
	}
	if !APIRefuses([]policies.Finding{{Rule: policies.RuleMisuse, Severity: policies.SeverityError}}) ||
		APIRefuses([]policies.Finding{{Rule: policies.RuleMisuse, Severity: policies.SeverityWarning}}) {
		t.Error("APIRefuses is SELINUX-005 errors only")
	}
}

// TestAuditLogWaitsForCompleteLines finds an event written in two parts, and fails (bounded) on an
// ID that never comes.
func TestAuditLogWaitsForCompleteLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	stage := func(id, s string) string {
		return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"` + id + `","stage":"` + s + `","annotations":{"p/evaluated":"x"}}`
	}
	first := stage("a", "ResponseStarted") + "\n" + stage("a", "ResponseComplete") + "\n"
	second := stage("b", "ResponseComplete")
	if err := os.WriteFile(path, []byte(first+second[:20]), 0o600); err != nil {
		t.Fatal(err)
	}
	l := NewAuditLog(path)
	ev, err := l.Event(context.Background(), "a")
	if err != nil || ev.Stage != auditv1.StageResponseComplete || ev.Annotations["p/evaluated"] != "x" {
		t.Fatalf("event a: %+v %v", ev, err)
	}
	if err := os.WriteFile(path, []byte(first+second+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ev, err := l.Event(context.Background(), "b"); err != nil || ev.AuditID != "b" {
		t.Fatalf("event b, written across two reads: %+v %v", ev, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Event(ctx, "never"); err == nil {
		t.Error("an absent event was found")
	}
	if _, err := l.Event(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "Audit-ID") {
		t.Errorf("a request never sent: %v", err)
	}
}
