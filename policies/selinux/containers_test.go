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

// Past smallUse names the look-up is a set; both ways give the same use.
func TestUseIsTheSameWithManyNames(t *testing.T) {
	var few, many []Container
	for i := range smallUse + 5 {
		name := string(rune('a' + i%7))
		c := Container{Mounts: []string{name, "shared"}, Devices: []string{"dev-" + name}}
		many = append(many, c)
		if i < 3 {
			few = append(few, c)
		}
	}
	got := Use(nil, many)
	require.Equal(t, []string{"a", "shared", "b", "c", "d", "e", "f", "g"}, got.Mounts)
	require.Equal(t, []string{"dev-a", "dev-b", "dev-c", "dev-d", "dev-e", "dev-f", "dev-g"}, got.Devices)
	require.Equal(t, []string{"a", "shared", "b", "c"}, Use(nil, few).Mounts)

	x := Options{Level: "s0:c1"}
	got = Use(&x, many)
	require.NotNil(t, got.index, "past smallUse names, Use keeps an index")
	require.Len(t, got.OptionsFor("shared"), smallUse+5)
	require.Len(t, got.OptionsFor("g"), (smallUse+5)/7)
	require.Nil(t, got.OptionsFor("dev-a"), "a device is no mount")
	require.Nil(t, got.OptionsFor("absent"))
}

// A volume's options share one array with the next volume's: a later container's options for the
// first volume must not overwrite the second's.
func TestUseKeepsEachVolumesOptions(t *testing.T) {
	x, y := Options{Level: "s0:c1"}, Options{Level: "s0:c2"}
	use := Use(nil, []Container{
		{Options: &x, Mounts: []string{"a", "b"}},
		{Options: &y, Mounts: []string{"a", "c"}},
		{Mounts: []string{"b"}},
	})
	require.Equal(t, map[string][]Options{"a": {x, y}, "b": {x}, "c": {y}}, optionsByVolume(use))
	require.Equal(t, []string{"a", "b", "c"}, use.Mounts)
}
