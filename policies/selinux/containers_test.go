package selinux

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestContainersKeepTheVisitingOrderAndOnlyWhatUseReads(t *testing.T) {
	own := &Options{Level: "s0:c1"}
	spec := corev1.PodSpec{
		InitContainers: []corev1.Container{{Name: "init", VolumeMounts: mounts("a")}},
		Containers:     []corev1.Container{{Name: "app", SecurityContext: withOpts(own), VolumeMounts: mounts("b", "c"), VolumeDevices: devices("d")}},
		EphemeralContainers: []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name: "debug", SecurityContext: &corev1.SecurityContext{}, VolumeMounts: mounts("a")}}},
	}
	require.Equal(t, []Container{
		{Mounts: []string{"a"}},
		{Options: own, Mounts: []string{"b", "c"}, Devices: []string{"d"}},
		{Mounts: []string{"a"}},
	}, Containers(&spec))
	require.Nil(t, Containers(&corev1.PodSpec{}))
}
