package gatekeeper

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The deny overlay refuses only error findings: for each rule that has them, a second constraint
// with enforcementAction deny and severities [error], the shipped one keeping the warnings.
func TestDenyOverlay(t *testing.T) {
	b, err := loadBundle(bundleDir + "/overlays/deny")
	require.NoError(t, err)
	got := map[string][2]any{}
	for _, c := range b.constraints {
		action, _, _ := unstructured.NestedString(c.Object, "spec", "enforcementAction")
		sev, _, _ := unstructured.NestedStringSlice(c.Object, "spec", "parameters", "severities")
		got[c.GetName()] = [2]any{action, sev}
	}
	require.Equal(t, map[string][2]any{
		"selmount-selinux-001": {"warn", []string(nil)}, "selmount-selinux-002": {"warn", []string(nil)},
		"selmount-selinux-003": {"warn", []string{"warning"}}, "selmount-selinux-003-deny": {"deny", []string{"error"}},
		"selmount-selinux-004": {"warn", []string(nil)},
		"selmount-selinux-005": {"warn", []string{"warning"}}, "selmount-selinux-005-deny": {"deny", []string{"error"}},
		"selmount-selinux-006": {"warn", []string{"warning"}}, "selmount-selinux-006-deny": {"deny", []string{"error"}},
	}, got)
	// The client accepts the overlay's constraints against the templates' schemas.
	_, err = New(context.Background(), bundleDir+"/overlays/deny", Options{})
	require.NoError(t, err)
}

// The v1.36 overlay sets the profile on every constraint.
func TestV136Overlay(t *testing.T) {
	b, err := loadBundle(bundleDir + "/overlays/v1.36")
	require.NoError(t, err)
	require.Len(t, b.constraints, 6)
	for _, c := range b.constraints {
		p, _, _ := unstructured.NestedString(c.Object, "spec", "parameters", "profile")
		require.Equal(t, "v1.36", p, c.GetName())
	}
	require.Len(t, b.assigns, 2)
	require.Len(t, b.templates, 6)
}
