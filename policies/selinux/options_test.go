package selinux

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func mounts(names ...string) []corev1.VolumeMount {
	var out []corev1.VolumeMount
	for _, n := range names {
		out = append(out, corev1.VolumeMount{Name: n, MountPath: "/" + n})
	}
	return out
}

func devices(names ...string) []corev1.VolumeDevice {
	var out []corev1.VolumeDevice
	for _, n := range names {
		out = append(out, corev1.VolumeDevice{Name: n, DevicePath: "/dev/" + n})
	}
	return out
}

func withOpts(o *Options) *corev1.SecurityContext { return &corev1.SecurityContext{SELinuxOptions: o} }

// Spec table C9.
func TestPodVolumeUse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		spec    corev1.PodSpec
		mounts  []string
		devices []string
		opts    map[string][]Options
	}{
		{name: "empty pod"},
		{
			name:   "one container",
			spec:   corev1.PodSpec{Containers: []corev1.Container{{VolumeMounts: mounts("vol1", "vol2"), VolumeDevices: devices("vol3", "vol4")}}},
			mounts: []string{"vol1", "vol2"}, devices: []string{"vol3", "vol4"},
		},
		{
			name:   "same in an init container",
			spec:   corev1.PodSpec{InitContainers: []corev1.Container{{VolumeMounts: mounts("vol1", "vol2"), VolumeDevices: devices("vol3", "vol4")}}},
			mounts: []string{"vol1", "vol2"}, devices: []string{"vol3", "vol4"},
		},
		{
			name: "init and regular containers",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{{VolumeMounts: mounts("vol1")}, {VolumeDevices: devices("vol2")}},
				Containers:     []corev1.Container{{VolumeMounts: mounts("vol3")}, {VolumeDevices: devices("vol4")}},
			},
			mounts: []string{"vol1", "vol3"}, devices: []string{"vol2", "vol4"},
		},
		{
			name: "ephemeral debugger",
			spec: corev1.PodSpec{
				Containers:          []corev1.Container{{VolumeMounts: mounts("vol1")}},
				EphemeralContainers: []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{VolumeMounts: mounts("vol1", "vol2")}}},
			},
			mounts: []string{"vol1", "vol2"},
		},
		{
			name: "SELinux options",
			spec: corev1.PodSpec{
				SecurityContext: &corev1.PodSecurityContext{SELinuxOptions: &Options{Type: "global_context_t", Level: "s0:c1,c2"}},
				InitContainers:  []corev1.Container{{SecurityContext: withOpts(&Options{Type: "initcontainer1_context_t", Level: "s0:c3,c4"}), VolumeMounts: mounts("vol1")}},
				Containers: []corev1.Container{
					{SecurityContext: withOpts(&Options{Type: "container1_context_t", Level: "s0:c5,c6"}), VolumeMounts: mounts("vol1", "vol2")},
					{VolumeMounts: mounts("vol2", "vol3")},
				},
			},
			mounts: []string{"vol1", "vol2", "vol3"},
			opts: map[string][]Options{
				"vol1": {{Type: "initcontainer1_context_t", Level: "s0:c3,c4"}, {Type: "container1_context_t", Level: "s0:c5,c6"}},
				"vol2": {{Type: "container1_context_t", Level: "s0:c5,c6"}, {Type: "global_context_t", Level: "s0:c1,c2"}},
				"vol3": {{Type: "global_context_t", Level: "s0:c1,c2"}},
			},
		},
	} {
		got := PodVolumeUse(&tc.spec)
		require.Equal(t, tc.mounts, got.Mounts, tc.name)
		require.Equal(t, tc.devices, got.Devices, tc.name)
		if tc.opts == nil {
			tc.opts = map[string][]Options{}
		}
		require.Equal(t, tc.opts, optionsByVolume(got), tc.name)
	}
}

func TestContainerOptionsReplacePodOptionsWholesale(t *testing.T) {
	spec := corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{SELinuxOptions: &Options{User: "u", Level: "s0:c1"}},
		Containers: []corev1.Container{
			{SecurityContext: withOpts(&Options{Type: "t"}), VolumeMounts: mounts("own")},
			// A securityContext without options takes the Pod's, as one without a securityContext.
			{SecurityContext: &corev1.SecurityContext{}, VolumeMounts: mounts("pods")},
		},
	}
	got := PodVolumeUse(&spec)
	require.Equal(t, []Options{{Type: "t"}}, got.OptionsFor("own"))
	require.Equal(t, []Options{{User: "u", Level: "s0:c1"}}, got.OptionsFor("pods"))
	spec.SecurityContext = nil
	got = PodVolumeUse(&spec)
	require.Empty(t, got.OptionsFor("pods"))
}

// optionsByVolume is OptionsFor of every mounted volume that has options.
func optionsByVolume(u VolumeUse) map[string][]Options {
	out := map[string][]Options{}
	for _, name := range u.Mounts {
		if opts := u.OptionsFor(name); opts != nil {
			out[name] = opts
		}
	}
	return out
}
