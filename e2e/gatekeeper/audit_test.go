package gatekeeper

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/policies"
)

func constraintWith(ts string, total int64, violations ...map[string]any) *unstructured.Unstructured {
	status := map[string]any{"totalViolations": total}
	if ts != "" {
		status["auditTimestamp"] = ts
	}
	var list []any
	for _, v := range violations {
		list = append(list, v)
	}
	if list != nil {
		status["violations"] = list
	}
	return &unstructured.Unstructured{Object: map[string]any{"metadata": map[string]any{"name": "selmount-selinux-006"}, "status": status}}
}

func TestConstraintViolationsWaitsForALaterAudit(t *testing.T) {
	since := time.Date(2026, 12, 3, 11, 0, 0, 400e6, time.UTC)
	v := map[string]any{"kind": "Pod", "namespace": "shop", "name": "b", "message": "SELINUX-006: Pod shop/b stays in ContainerCreating"}
	for _, c := range []struct {
		ts    string
		fresh bool
	}{
		{"", false},                     // never audited
		{"2026-12-03T11:00:00Z", false}, // the audit began in since's second, maybe before it
		{"2026-12-03T11:00:01Z", true},
	} {
		vs, fresh, err := constraintViolations(constraintWith(c.ts, 1, v), since)
		if err != nil || fresh != c.fresh {
			t.Errorf("auditTimestamp %q: fresh %v, %v; want %v", c.ts, fresh, err, c.fresh)
		}
		if fresh && len(vs) != 1 {
			t.Errorf("auditTimestamp %q: %d violations, want 1", c.ts, len(vs))
		}
	}
}

func TestConstraintViolationsRefusesATruncatedList(t *testing.T) {
	v := map[string]any{"kind": "Pod", "namespace": "shop", "name": "b", "message": "SELINUX-006: x"}
	_, _, err := constraintViolations(constraintWith("2026-12-03T11:00:05Z", 2, v), time.Date(2026, 12, 3, 11, 0, 0, 0, time.UTC))
	if err == nil || !strings.Contains(err.Error(), "1 of 2") {
		t.Fatalf("got %v, want an error about a truncated list", err)
	}
}

func TestCompareAuditNamesWorkloadsAsTheModelDoes(t *testing.T) {
	vs := []Violation{
		{Constraint: "c", Kind: "Deployment", Namespace: "web", Name: "frontend", Message: "SELINUX-001: Deployment web/frontend …"},
		{Constraint: "c", Kind: "Pod", Namespace: "web", Name: "debug", Message: "SELINUX-001: Pod web/debug …"},
		{Constraint: "c", Kind: "Pod", Namespace: "web", Name: "debug", Message: "SELINUX-001: Pod web/debug, another volume"},
	}
	model := []policies.Finding{
		{Rule: "SELINUX-001", Pod: policies.PodRef{Namespace: "web", Name: "Deployment/frontend"}},
		{Rule: "SELINUX-006", Pod: policies.PodRef{Namespace: "web", Name: "debug"}},
	}
	r, err := CompareAudit("s", vs, model)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"missing SELINUX-006 web/debug", "extra SELINUX-001 web/debug"}
	if !reflect.DeepEqual(r.Differences, want) {
		t.Errorf("differences %q, want %q", r.Differences, want)
	}
}

func TestViolationWithoutRuleIsAnError(t *testing.T) {
	if _, err := (Violation{Constraint: "c", Kind: "Pod", Namespace: "a", Name: "b", Message: "no rule here"}).Key(); err == nil {
		t.Error("a message naming no rule was accepted")
	}
}
