package replay

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// basePolicies reads map/base's two policies and their bindings as written.
func basePolicies(t *testing.T) ([]admissionv1.ValidatingAdmissionPolicy, []admissionv1.ValidatingAdmissionPolicyBinding) {
	t.Helper()
	dir := filepath.Join("..", "..", "map", "base")
	var ps []admissionv1.ValidatingAdmissionPolicy
	for _, f := range []string{"checks-errors.yaml", "checks-warnings.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		var p admissionv1.ValidatingAdmissionPolicy
		if err := yaml.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	data, err := os.ReadFile(filepath.Join(dir, "checks-bindings.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var bs []admissionv1.ValidatingAdmissionPolicyBinding
	for _, doc := range strings.Split(string(data), "\n---\n") {
		var b admissionv1.ValidatingAdmissionPolicyBinding
		if err := yaml.Unmarshal([]byte(doc), &b); err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	return ps, bs
}

func TestEvaluatingFollowsMapMatchConstraints(t *testing.T) {
	pol, err := NewPolicies(basePolicies(t))
	if err != nil {
		t.Fatal(err)
	}
	both := []string{"selmount-selinux-errors", "selmount-selinux-warnings"}
	for _, c := range []struct {
		req  Request
		want []string
	}{
		{Request{"CREATE", "", "v1", "pods", ""}, both},
		{Request{"UPDATE", "", "v1", "pods", ""}, both},
		{Request{"UPDATE", "", "v1", "pods", "ephemeralcontainers"}, both},
		{Request{"UPDATE", "", "v1", "pods", "status"}, []string{}},
		{Request{"DELETE", "", "v1", "pods", ""}, []string{}},
		{Request{"CREATE", "", "v1", "namespaces", ""}, []string{}},
		{Request{"CREATE", "apps", "v1", "deployments", ""}, []string{}},
	} {
		if got := pol.Evaluating(c.req); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: got %v, want %v", c.req, got, c.want)
		}
	}
	if !pol.Audits("selmount-selinux-errors") || !pol.Audits("selmount-selinux-warnings") || pol.Audits("other") {
		t.Error("map/base binds both policies with Audit")
	}
}

func TestUnboundPolicyEvaluatesNothing(t *testing.T) {
	ps, _ := basePolicies(t)
	pol, err := NewPolicies(ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := pol.Evaluating(Request{"CREATE", "", "v1", "pods", ""}); len(got) != 0 {
		t.Errorf("unbound policies expected to run: %v", got)
	}
}

func TestNewPoliciesRefusesWhatItDoesNotFollow(t *testing.T) {
	ps, bs := basePolicies(t)
	ps[0].Spec.MatchConstraints.NamespaceSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"a": "b"}}
	if _, err := NewPolicies(ps, bs); err == nil {
		t.Error("a namespaceSelector was silently ignored")
	}
	ps, bs = basePolicies(t)
	ps[1].Spec.MatchConditions = []admissionv1.MatchCondition{{Name: "x", Expression: "true"}}
	if _, err := NewPolicies(ps, bs); err == nil {
		t.Error("matchConditions were silently ignored")
	}
}
