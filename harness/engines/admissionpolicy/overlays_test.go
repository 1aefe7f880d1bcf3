package admissionpolicy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/internal/kustomize"
)

func build(t *testing.T, dir string) string {
	t.Helper()
	_, out, err := kustomize.Build(dir)
	require.NoError(t, err, dir)
	return string(out)
}

// The v1beta1 overlay is the v1.36 overlay with the mutating objects in beta: the in-process plugins
// read v1 only, so this is how the harness vouches for it.
func TestV1beta1OverlayIsTheV136OverlayInBeta(t *testing.T) {
	beta := build(t, mapDir+"/overlays/v1beta1")
	v136 := build(t, mapDir+"/overlays/v1.36")
	require.Equal(t, 2, strings.Count(beta, "apiVersion: admissionregistration.k8s.io/v1beta1"))
	require.Equal(t, v136, strings.ReplaceAll(beta, "admissionregistration.k8s.io/v1beta1", "admissionregistration.k8s.io/v1"))
}

func TestDenyOverlayOnlyChangesTheErrorsBinding(t *testing.T) {
	b, err := LoadBundle(mapDir + "/overlays/deny")
	require.NoError(t, err)
	actions := map[string]string{}
	for _, bd := range b.ValidatingBindings {
		var names []string
		for _, a := range bd.Spec.ValidationActions {
			names = append(names, string(a))
		}
		actions[bd.Name] = strings.Join(names, ",")
	}
	require.Equal(t, map[string]string{"selmount-selinux-errors": "Deny,Audit", "selmount-selinux-warnings": "Warn,Audit"}, actions)
	base, err := LoadBundle(mapDir)
	require.NoError(t, err)
	require.Equal(t, base.ValidatingPolicies, b.ValidatingPolicies)
	require.Equal(t, base.MutatingPolicies, b.MutatingPolicies)
}

func TestClusterWideOverlayExcludesTheListedNamespaces(t *testing.T) {
	b, err := LoadBundle(mapDir + "/overlays/cluster-wide")
	require.NoError(t, err)
	sel := b.MutatingPolicies[0].Spec.MatchConstraints.NamespaceSelector.MatchExpressions
	require.Len(t, sel, 1)
	require.Equal(t, ClusterWideExcluded, sel[0].Values)
	for _, p := range b.ValidatingPolicies {
		for _, v := range p.Spec.Variables {
			if v.Name == "optOutValue" {
				for _, ns := range ClusterWideExcluded {
					require.Contains(t, v.Expression, "'"+ns+"'", "the checks exclude %s too", ns)
				}
			}
		}
	}
}
