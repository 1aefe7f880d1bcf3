package kyverno

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

const optOutNamespaces = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {selmount.io/change-policy: Recursive}}
---
apiVersion: v1
kind: Namespace
metadata: {name: lab, labels: {selmount.io/change-policy: MountOption}}
---
apiVersion: v1
kind: Namespace
metadata: {name: typo, labels: {selmount.io/change-policy: recursive}}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
`

// admit admits the last object after the others. On UPDATE the one before it is the stored version.
func admit(t *testing.T, operation, objects string) (harness.Outcome, *cluster.Object) {
	t.Helper()
	sc := scenario(t, "mutation", "", optOutNamespaces+objects)
	n := len(sc.Objects)
	a := harness.Admission{Scenario: sc, Index: n - 1, Operation: operation, Object: &sc.Objects[n-1], Prior: sc.Objects[:n-1]}
	if operation == policies.OperationUpdate {
		a.OldObject = &sc.Objects[n-2]
	}
	out, err := testEngine.Admit(context.Background(), a)
	require.NoError(t, err)
	require.Equal(t, 1, out.Evaluated[policies.RuleOptOut], "the SELINUX-004 audit policy ran")
	return out, a.Object
}

func changePolicyOf(t *testing.T, out harness.Outcome, admitted *cluster.Object) string {
	t.Helper()
	obj := admitted
	if out.Object != nil {
		obj = out.Object
	}
	p := cluster.PodFromObject(obj)
	if p.ChangePolicy() == nil {
		return ""
	}
	return string(*p.ChangePolicy())
}

func TestOptOutMutation(t *testing.T) {
	pod := func(ns, extra string) string {
		return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: " + ns + "}\nspec:\n  containers: [{name: a}]\n" + extra
	}
	for _, c := range []struct {
		name, op, objects, want string
		mutated                 bool
	}{
		{"create in a Recursive namespace", policies.OperationCreate, pod("shop", ""), "Recursive", true},
		{"create in a MountOption namespace", policies.OperationCreate, pod("lab", ""), "MountOption", true},
		{"null securityContext is unset", policies.OperationCreate, pod("shop", "  securityContext: null\n"), "Recursive", true},
		{"null value is unset", policies.OperationCreate, pod("shop", "  securityContext: {seLinuxChangePolicy: null, runAsNonRoot: true}\n"), "Recursive", true},
		{"never over a value", policies.OperationCreate, pod("shop", "  securityContext: {seLinuxChangePolicy: MountOption}\n"), "MountOption", false},
		{"never over an invalid value", policies.OperationCreate, pod("shop", "  securityContext: {seLinuxChangePolicy: Bogus}\n"), "Bogus", false},
		{"Windows Pods untouched", policies.OperationCreate, pod("shop", "  os: {name: windows}\n"), "", false},
		{"invalid label ignored", policies.OperationCreate, pod("typo", ""), "", false},
		{"namespace without label", policies.OperationCreate, pod("plain", ""), "", false},
		{"never on UPDATE", policies.OperationUpdate, pod("shop", "") + pod("shop", "  nodeName: n1\n"), "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, admitted := admit(t, c.op, c.objects)
			require.Equal(t, c.mutated, out.Object != nil)
			require.Equal(t, c.want, changePolicyOf(t, out, admitted))
		})
	}
}

// Kyverno's patch keeps every other field: the patched Pod is the admitted one plus the policy.
func TestOptOutKeepsTheRestOfThePod(t *testing.T) {
	sc := scenario(t, "keep", "", optOutNamespaces+`---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  securityContext: {runAsUser: 1000, seLinuxOptions: {level: "s0:c1,c2"}}
  containers: [{name: a, image: nginx}, {name: b, image: busybox}]
`)
	b, err := testEngine.bundle(sc.Profile)
	require.NoError(t, err)
	n := len(sc.Objects)
	obj, _, err := served(&sc.Objects[n-1], -1)
	require.NoError(t, err)
	v, err := newView(sc.Objects[:n-1], "shop")
	require.NoError(t, err)
	done := shared.use(v)
	defer done()
	patched, err := b.mutate(context.Background(), obj, nil, admissionv1.Create, "")
	require.NoError(t, err)
	want := obj.DeepCopy()
	require.NoError(t, unstructured.SetNestedField(want.Object, "Recursive", "spec", "securityContext", "seLinuxChangePolicy"))
	require.Equal(t, want.Object, patched.Object)
}

// A policy that does not answer for a Pod fails the evaluation instead of passing silently: here no
// policy matches a CONNECT.
func TestSilentPolicyFails(t *testing.T) {
	sc := scenario(t, "silent", "", optOutNamespaces+"---\napiVersion: v1\nkind: Pod\nmetadata: {name: c, namespace: shop}\nspec: {containers: [{name: a}]}\n")
	b, err := testEngine.bundle(sc.Profile)
	require.NoError(t, err)
	n := len(sc.Objects)
	obj, name, err := served(&sc.Objects[n-1], -1)
	require.NoError(t, err)
	v, err := newView(sc.Objects[:n-1], "shop")
	require.NoError(t, err)
	done := shared.use(v)
	defer done()
	_, _, err = b.validate(context.Background(), v, obj, nil, admissionv1.Connect, "", name)
	require.ErrorContains(t, err, "pod shop/c")
	_, _, err = b.validate(context.Background(), v, obj, nil, admissionv1.Create, "", name)
	require.NoError(t, err)
}
