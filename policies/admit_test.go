package policies

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

func decode(t *testing.T, doc string) []cluster.Object {
	t.Helper()
	objs, err := cluster.Decode("t.yaml", []byte(doc))
	require.NoError(t, err)
	return objs
}

func stateOf(t *testing.T, doc string) *cluster.State {
	t.Helper()
	s, err := cluster.Build(decode(t, doc))
	require.NoError(t, err)
	return s
}

const optOutNamespaces = `
apiVersion: v1
kind: Namespace
metadata: {name: rec, labels: {selmount.io/change-policy: Recursive}}
---
apiVersion: v1
kind: Namespace
metadata: {name: mo, labels: {selmount.io/change-policy: MountOption}}
---
apiVersion: v1
kind: Namespace
metadata: {name: bad, labels: {selmount.io/change-policy: recursive}}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
`

func podIn(ns, extraSpec string) string {
	return "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: " + ns + "}\nspec:\n  containers: [{name: c, image: x}]\n" + extraSpec
}

func policyAfter(t *testing.T, res AdmitResult) string {
	if cp := res.Pod.ChangePolicy(); cp != nil {
		return string(*cp)
	}
	return ""
}

func TestOptOutMutation(t *testing.T) {
	profile, _ := gates.Parse("")
	s := stateOf(t, optOutNamespaces)
	for _, tc := range []struct {
		name, ns, spec, op string
		want               string
		mutated            bool
	}{
		{"absent securityContext", "rec", "", OperationCreate, "Recursive", true},
		{"null securityContext", "rec", "  securityContext: null\n", OperationCreate, "Recursive", true},
		{"empty securityContext", "rec", "  securityContext: {}\n", OperationCreate, "Recursive", true},
		{"null policy", "rec", "  securityContext: {seLinuxChangePolicy: null, runAsNonRoot: true}\n", OperationCreate, "Recursive", true},
		{"MountOption label", "mo", "", OperationCreate, "MountOption", true},
		{"explicit value kept", "rec", "  securityContext: {seLinuxChangePolicy: MountOption}\n", OperationCreate, "MountOption", false},
		{"update never mutated", "rec", "", OperationUpdate, "", false},
		{"windows untouched", "rec", "  os: {name: windows}\n", OperationCreate, "", false},
		{"invalid label value", "bad", "", OperationCreate, "", false},
		{"no label", "plain", "", OperationCreate, "", false},
		{"namespace not in input", "elsewhere", "", OperationCreate, "", false},
	} {
		obj := decode(t, podIn(tc.ns, tc.spec))[0]
		res, err := Admit(profile, s, Request{Operation: tc.op, Object: &obj, OldObject: &obj})
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.mutated, res.Mutated, tc.name)
		require.Equal(t, tc.want, policyAfter(t, res), tc.name)
		if tc.mutated {
			orig := cluster.PodFromObject(&obj)
			require.Equal(t, orig.Spec.Containers, res.Pod.Spec.Containers, "%s: other fields are kept", tc.name)
			require.NotSame(t, orig.Spec, res.Pod.Spec, "%s: the request object is not changed", tc.name)
			again, err := Admit(profile, s, Request{Operation: OperationCreate, Object: mustObject(t, res.Pod, &obj)})
			require.NoError(t, err)
			require.False(t, again.Mutated, "%s: a second admission changes nothing", tc.name)
		}
	}
}

// mustObject re-encodes a mutated pod so it can be admitted again.
func mustObject(t *testing.T, p *cluster.Pod, like *cluster.Object) *cluster.Object {
	t.Helper()
	doc := podIn(p.Namespace, "  securityContext: {seLinuxChangePolicy: "+string(*p.ChangePolicy())+"}\n")
	o := decode(t, doc)[0]
	o.Source = like.Source
	return &o
}

func TestWorkloadsAreMutatedOnEveryAdmission(t *testing.T) {
	profile, _ := gates.Parse("")
	s := stateOf(t, optOutNamespaces)
	obj := decode(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: rec}\nspec: {template: {spec: {containers: [{name: c}]}}}\n")[0]
	for _, op := range []string{OperationCreate, OperationUpdate} {
		res, err := Admit(profile, s, Request{Operation: op, Object: &obj})
		require.NoError(t, err)
		require.True(t, res.Mutated, op)
		require.Equal(t, "Recursive", policyAfter(t, res))
	}
}

func findingRules(fs []Finding) map[string][]string {
	out := map[string][]string{}
	for _, f := range fs {
		out[f.Rule] = append(out[f.Rule], f.Severity+" "+f.Values[0])
	}
	return out
}

func TestMisuseFindings(t *testing.T) {
	s := stateOf(t, optOutNamespaces)
	p36, _ := gates.Parse("v1.36")
	p37, _ := gates.Parse("v1.37")
	for _, tc := range []struct {
		name, ns, spec string
		profile        gates.Profile
		op             string
		oldPolicy      bool
		want           map[string][]string
	}{
		{"unknown value", "plain", "  securityContext: {seLinuxChangePolicy: Foo}\n", p37, OperationCreate, false, map[string][]string{RuleMisuse: {"error Foo"}}},
		{"windows with the field", "plain", "  os: {name: windows}\n  securityContext: {seLinuxChangePolicy: Recursive}\n", p37, OperationCreate, false, map[string][]string{RuleMisuse: {"error Recursive"}}},
		{"MountOption on 1.36", "plain", "  securityContext: {seLinuxChangePolicy: MountOption}\n", p36, OperationCreate, false, map[string][]string{RuleMisuse: {"error MountOption"}}},
		{"MountOption on 1.36, old object had a policy", "plain", "  securityContext: {seLinuxChangePolicy: MountOption}\n", p36, OperationUpdate, true, map[string][]string{}},
		{"MountOption on 1.37", "plain", "  securityContext: {seLinuxChangePolicy: MountOption}\n", p37, OperationCreate, false, map[string][]string{}},
		{"invalid namespace label", "bad", "", p37, OperationCreate, false, map[string][]string{RuleMisuse: {"warning recursive"}}},
		{"opt-out namespace, pod updated without the field", "rec", "", p37, OperationUpdate, false, map[string][]string{RuleOptOut: {"warning Recursive"}}},
	} {
		obj := decode(t, podIn(tc.ns, tc.spec))[0]
		old := obj
		if tc.oldPolicy {
			old = decode(t, podIn(tc.ns, "  securityContext: {seLinuxChangePolicy: Recursive}\n"))[0]
		}
		res, err := Admit(tc.profile, s, Request{Operation: tc.op, Object: &obj, OldObject: &old})
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, findingRules(res.Findings), tc.name)
		for _, f := range res.Findings {
			require.Regexp(t, "^"+f.Rule+": ", f.Message)
		}
	}
}

func TestAdmitRejectsBadRequests(t *testing.T) {
	profile, _ := gates.Parse("")
	s := cluster.NewState()
	ns := decode(t, optOutNamespaces)[0]
	_, err := Admit(profile, s, Request{Operation: OperationCreate, Object: &ns})
	require.ErrorContains(t, err, "t.yaml: document 1: Namespace rec is not a Pod or workload")
	pod := decode(t, podIn("plain", ""))[0]
	_, err = Admit(profile, s, Request{Operation: "DELETE", Object: &pod})
	require.ErrorContains(t, err, `operation "DELETE"`)
}

func TestClusterWideOptOut(t *testing.T) {
	profile, _ := gates.Parse("")
	s := stateOf(t, optOutNamespaces+"---\napiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n")
	scope := OptOutScope{ClusterWide: true, Excluded: []string{"kube-system"}}
	for ns, want := range map[string]string{"plain": "Recursive", "mo": "MountOption", "bad": "Recursive", "kube-system": "", "not-in-input": "Recursive"} {
		obj := decode(t, podIn(ns, ""))[0]
		res, err := Admit(profile, s, Request{Operation: OperationCreate, Object: &obj, OptOut: scope})
		require.NoError(t, err)
		require.Equal(t, want, policyAfter(t, res), ns)
		require.Empty(t, res.Findings, "%s: an opted-out pod (even under an invalid label, which falls back to Recursive) has nothing to report", ns)
	}
	rep := AuditScoped(profile, scope, stateOf(t, optOutNamespaces+"---\n"+podIn("plain", "")))
	require.Equal(t, map[string][]string{RuleOptOut: {"warning Recursive"}}, findingRules(rep.Findings), "pods created before the opt-out lack it")
}
