package cluster

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

// Every source the Model drops must resolve as the volume it was: each VolumeSource field, set on
// its own, resolves the same from the Model as from the whole source.
func TestModelDropsOnlySourcesThatResolveAsNone(t *testing.T) {
	s := NewState()
	dropped := 0
	for f := range reflect.TypeFor[corev1.VolumeSource]().Fields() {
		var src corev1.VolumeSource
		field := reflect.ValueOf(&src).Elem().FieldByIndex(f.Index)
		field.Set(reflect.New(f.Type.Elem()))
		spec := &corev1.PodSpec{Volumes: []corev1.Volume{{Name: "v", VolumeSource: src}}}
		whole := &Pod{Namespace: "ns", Name: "p", Kind: "Pod", Spec: spec,
			Model: &Model{Volumes: []ModelVolume{{Name: "v", Source: &src}}}}
		read := (&Pod{Namespace: "ns", Name: "p", Kind: "Pod"}).WithSpec(spec)
		if v := read.Model.Volumes[0]; v.Source == nil && v.Claim == nil {
			dropped++
		}
		want, wantDiags := s.ResolvePod(whole)
		got, gotDiags := s.ResolvePod(read)
		require.Equal(t, want, got, f.Name)
		require.Equal(t, wantDiags, gotDiags, f.Name)
	}
	require.Equal(t, 5, dropped, "configMap, secret, projected, downwardAPI, emptyDir")
}

// Input may set two sources on one volume; the Model then keeps the one that matters.
func TestModelKeepsASourceBesideADroppedOne(t *testing.T) {
	claim := &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "c"}
	m := ModelOf(&corev1.PodSpec{Volumes: []corev1.Volume{{Name: "v", VolumeSource: corev1.VolumeSource{
		ConfigMap: &corev1.ConfigMapVolumeSource{}, PersistentVolumeClaim: claim}}}})
	require.Equal(t, ModelVolume{Name: "v", Claim: claim}, m.Volumes[0])
	iscsi := &corev1.ISCSIVolumeSource{TargetPortal: "p"}
	m = ModelOf(&corev1.PodSpec{Volumes: []corev1.Volume{{Name: "v", VolumeSource: corev1.VolumeSource{
		ISCSI: iscsi, PersistentVolumeClaim: claim}}}})
	require.Equal(t, ModelVolume{Name: "v", Source: &corev1.VolumeSource{ISCSI: iscsi, PersistentVolumeClaim: claim}}, m.Volumes[0])
}

func TestModelReadsThePodFields(t *testing.T) {
	policy := corev1.SELinuxChangePolicyMountOption
	opts := &corev1.SELinuxOptions{Level: "s0:c1"}
	spec := &corev1.PodSpec{
		NodeName: "n", OS: &corev1.PodOS{Name: corev1.Windows},
		SecurityContext: &corev1.PodSecurityContext{SELinuxOptions: opts, SELinuxChangePolicy: &policy},
		Containers:      []corev1.Container{{Name: "c", VolumeMounts: []corev1.VolumeMount{{Name: "v", MountPath: "/v"}}}},
	}
	m := ModelOf(spec)
	require.Equal(t, "n", m.NodeName)
	require.True(t, m.Windows)
	require.Same(t, &policy, m.ChangePolicy)
	require.Same(t, opts, m.SELinux)
	use := m.Use()
	require.Equal(t, []corev1.SELinuxOptions{*opts}, use.OptionsFor("v"))
	require.False(t, ModelOf(&corev1.PodSpec{OS: &corev1.PodOS{Name: corev1.Linux}}).Windows)
}
