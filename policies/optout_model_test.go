package policies

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
)

// The opt-out's policy reaches what the views read, also for a Pod whose spec a scan dropped.
func TestWithChangePolicySetsTheModelAndTheSpec(t *testing.T) {
	p := (&cluster.Pod{Namespace: "ns", Name: "p", Kind: "Pod"}).WithSpec(&corev1.PodSpec{NodeName: "n"})
	got := withChangePolicy(p, "Recursive")
	require.Equal(t, corev1.SELinuxChangePolicyRecursive, *got.ChangePolicy())
	require.Equal(t, corev1.SELinuxChangePolicyRecursive, *got.Spec.SecurityContext.SELinuxChangePolicy)
	require.Equal(t, "n", got.Model.NodeName)
	require.Nil(t, p.ChangePolicy(), "the original is not changed")
	require.Nil(t, p.Spec.SecurityContext)

	p.Spec = nil
	got = withChangePolicy(p, "Recursive")
	require.Equal(t, corev1.SELinuxChangePolicyRecursive, *got.ChangePolicy())
	require.Nil(t, got.Spec)
}
