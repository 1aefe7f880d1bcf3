package cluster

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// Two volumes of one name: the later counts, as it did in ResolvePod's map; claim templates join in
// name order.
func TestResolveVolumesKeepsTheLaterOfOneNameAndSorts(t *testing.T) {
	s := NewState()
	iscsi := func(lun int32) corev1.VolumeSource {
		return corev1.VolumeSource{ISCSI: &corev1.ISCSIVolumeSource{TargetPortal: "p", IQN: "q", Lun: lun}}
	}
	p := (&Pod{Namespace: "ns", Name: "set", Kind: "StatefulSet", ClaimTemplates: map[string]*corev1.PersistentVolumeClaim{
		"b-template": {}, "z": {}}}).WithSpec(&corev1.PodSpec{Volumes: []corev1.Volume{
		{Name: "z", VolumeSource: iscsi(1)}, {Name: "a", VolumeSource: iscsi(2)}, {Name: "z", VolumeSource: iscsi(3)}}})
	got, diags := s.ResolveVolumes(p)
	require.Empty(t, diags)
	var names []string
	for _, v := range got {
		names = append(names, v.Name)
	}
	require.Equal(t, []string{"a", "b-template", "z"}, names)
	z, _ := got.Get("z")
	require.Equal(t, "kubernetes.io/iscsi/p:q:3", z.Key)
	m, _ := s.ResolvePod(p)
	require.Len(t, m, 3)
	require.Equal(t, z, m["z"])
}
