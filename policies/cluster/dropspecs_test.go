package cluster_test

import (
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestDropSpecsKeepsWhatTheViewsRead(t *testing.T) {
	policy := corev1.SELinuxChangePolicyRecursive
	pod := &corev1.Pod{Spec: corev1.PodSpec{
		NodeName:        "node-1",
		SecurityContext: &corev1.PodSecurityContext{SELinuxChangePolicy: &policy},
		Volumes:         []corev1.Volume{{Name: "v", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "c"}}}},
		Containers:      []corev1.Container{{Name: "app", VolumeMounts: []corev1.VolumeMount{{Name: "v", MountPath: "/v"}}}},
	}}
	s, err := cluster.Build([]cluster.Object{{APIVersion: "v1", Kind: "Pod", Namespace: "ns", Name: "p", Typed: pod}})
	require.NoError(t, err)
	before, diagsBefore := s.ResolvePod(s.Pods[0])

	s.DropSpecs()
	p := s.Pods[0]
	require.Nil(t, p.Spec)
	require.Equal(t, "node-1", p.Model.NodeName)
	require.Equal(t, &policy, p.ChangePolicy())
	require.False(t, p.Windows())
	require.Equal(t, []string{"v"}, p.Model.Use().Mounts)
	after, diagsAfter := s.ResolvePod(p)
	require.Equal(t, before, after)
	require.Equal(t, diagsBefore, diagsAfter)
	require.Contains(t, after, "v")
}
