package kubelet

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// podOf is a Pod as PodFromObject reads it: a test that changes the spec reads it again (WithSpec).
func podOf(namespace, name string, spec *corev1.PodSpec) *cluster.Pod {
	return (&cluster.Pod{Namespace: namespace, Name: name, Kind: "Pod"}).WithSpec(spec)
}

func resolved(name, node string, policy string, vol cluster.Volume, opts ...*selinux.Options) *cluster.ResolvedPod {
	spec := &corev1.PodSpec{NodeName: node, SecurityContext: &corev1.PodSecurityContext{SELinuxChangePolicy: policyPtr(policy)},
		Volumes: []corev1.Volume{{Name: "v"}}}
	for _, o := range opts {
		spec.Containers = append(spec.Containers, corev1.Container{Name: "c", SecurityContext: &corev1.SecurityContext{SELinuxOptions: o},
			VolumeMounts: []corev1.VolumeMount{{Name: "v", MountPath: "/v"}}})
	}
	return &cluster.ResolvedPod{Pod: podOf("ns", name, spec), Volumes: cluster.CompactVolumes(map[string]cluster.Volume{"v": vol})}
}

func TestViewRefusesTheLaterPodOfEachPair(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	a := resolved("a", "node-1", "", vol, incomplete)
	b := resolved("b", "node-2", "", vol, conflicting)
	c := resolved("c", "", "Recursive", vol, incomplete)
	d := resolved("d", "node-1", "", vol, incomplete)
	v := Run(p37, []*cluster.ResolvedPod{a, b, c, d}, nil)
	type pair struct {
		pod, other string
		latent     bool
	}
	var got []pair
	for _, r := range v.Refusals {
		got = append(got, pair{r.Pod.Name, r.Other.Name, r.Latent})
		require.Contains(t, r.Message, "conflicting SELinux labels of volume basicPV: ")
	}
	require.Equal(t, []pair{{"b", "a", true}, {"c", "a", false}, {"c", "b", false}, {"d", "b", true}, {"d", "c", false}}, got,
		"a Recursive pod brings \"\" and is refused after a MountOption pod (upstream C8 case 18); unscheduled pods meet everyone")

	p36 := gates.Profile{RWOP: true, CP: true}
	require.Empty(t, Run(p36, []*cluster.ResolvedPod{a, b, c, d}, nil).Refusals, "RWX is not eligible without SELinuxMount")
}

func TestViewMultipleLabels(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	eligible := resolved("m", "", "", basicPV(rwx, true), incomplete, conflicting)
	inline := resolved("i", "", "", cluster.Volume{PluginSupports: true}, incomplete, conflicting)
	v := Run(p37, []*cluster.ResolvedPod{eligible, inline}, nil)
	require.Len(t, v.Multiple, 2)
	require.True(t, v.Multiple[0].Error)
	require.False(t, v.Multiple[1].Error)
	require.Equal(t, []string{"system_u:object_r:container_file_t:s0:c1,c2", "system_u:object_r:container_file_t:s0:c98,c99"}, v.Multiple[0].Labels)

	later := resolved("later", "", "", basicPV(rwx, true), incomplete)
	v = Run(p37, []*cluster.ResolvedPod{eligible, later}, nil)
	require.Empty(t, v.Refusals, "a pod the kubelet refuses never holds the volume")

	windows := resolved("w", "", "", basicPV(rwx, true), conflicting)
	windows.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
	windows.Pod = windows.WithSpec(windows.Spec)
	require.Empty(t, Run(p37, []*cluster.ResolvedPod{later, windows}, nil).Refusals, "Windows nodes have no SELinux")
}

// Spec A8.2: on one node only the first pod's label is compared, and a refused pod never holds the volume.
func TestViewOnOneNodeComparesWithTheFirstPod(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	first := resolved("first", "node-1", "", vol, incomplete)
	refused := resolved("refused", "node-1", "", vol, conflicting)
	twin := resolved("twin", "node-1", "", vol, incomplete)
	v := Run(p37, []*cluster.ResolvedPod{first, refused, twin}, nil)
	require.Len(t, v.Refusals, 1)
	require.Equal(t, "refused", v.Refusals[0].Pod.Name)
	require.Equal(t, "first", v.Refusals[0].Other.Name)

	focused := Run(p37, []*cluster.ResolvedPod{first, refused, twin}, twin.Pod)
	require.Empty(t, focused.Refusals, "the twin matches the node's first pod")
	focused = Run(p37, []*cluster.ResolvedPod{first, refused, twin}, refused.Pod)
	require.Len(t, focused.Refusals, 1)
}

// twice is a pod that mounts vol through two pod volumes, "a" then "b", with the options given.
func twice(name, node string, vol cluster.Volume, a, b *selinux.Options) *cluster.ResolvedPod {
	spec := &corev1.PodSpec{NodeName: node, Volumes: []corev1.Volume{{Name: "a"}, {Name: "b"}}, Containers: []corev1.Container{
		{Name: "ca", SecurityContext: &corev1.SecurityContext{SELinuxOptions: a}, VolumeMounts: []corev1.VolumeMount{{Name: "a", MountPath: "/a"}}},
		{Name: "cb", SecurityContext: &corev1.SecurityContext{SELinuxOptions: b}, VolumeMounts: []corev1.VolumeMount{{Name: "b", MountPath: "/b"}}},
	}}
	return &cluster.ResolvedPod{Pod: podOf("ns", name, spec), Volumes: cluster.CompactVolumes(map[string]cluster.Volume{"a": vol, "b": vol})}
}

// A pod whose first pod volume is refused is still not on the volume, so AddPodToVolume compares its
// next pod volume too; once one is accepted, the pod holds the volume and the rest are not compared.
func TestViewComparesAPodVolumeWhileTheEarlierOnesWereRefused(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	other := &selinux.Options{Level: "s0:c3,c4"}
	holder := resolved("holder", "node-1", "", vol, incomplete)
	type refused struct{ pod, podVolume, label, other string }
	collect := func(v *View) []refused {
		var out []refused
		for _, r := range v.Refusals {
			out = append(out, refused{r.Pod.Name, r.PodVolume, r.PodLabel, r.Other.Name})
		}
		return out
	}
	lbl := func(level string) string { return "system_u:object_r:container_file_t:" + level }

	bothRefused := twice("both", "node-1", vol, conflicting, other)
	require.Equal(t, []refused{{"both", "a", lbl("s0:c98,c99"), "holder"}, {"both", "b", lbl("s0:c3,c4"), "holder"}},
		collect(Run(p37, []*cluster.ResolvedPod{holder, bothRefused}, nil)))

	secondAccepted := twice("second", "node-1", vol, conflicting, incomplete)
	require.Equal(t, []refused{{"second", "a", lbl("s0:c98,c99"), "holder"}},
		collect(Run(p37, []*cluster.ResolvedPod{holder, secondAccepted}, nil)))

	firstAccepted := twice("first", "node-1", vol, incomplete, conflicting)
	require.Empty(t, collect(Run(p37, []*cluster.ResolvedPod{holder, firstAccepted}, nil)),
		"the pod holds the volume after its first pod volume, the second is not compared")

	// Unscheduled, the pod meets each earlier pod separately: holder (s0:c1,c2) accepts its first pod
	// volume, while "x" on another node refuses both.
	x := resolved("x", "node-2", "", vol, conflicting)
	unscheduled := twice("any", "", vol, incomplete, other)
	require.Equal(t, []refused{{"x", "v", lbl("s0:c98,c99"), "holder"}, {"any", "a", lbl("s0:c1,c2"), "x"}, {"any", "b", lbl("s0:c3,c4"), "x"}},
		collect(Run(p37, []*cluster.ResolvedPod{holder, x, unscheduled}, nil)))
	require.Equal(t, []refused{{"any", "a", lbl("s0:c1,c2"), "x"}, {"any", "b", lbl("s0:c3,c4"), "x"}},
		collect(Run(p37, []*cluster.ResolvedPod{holder, x, unscheduled}, unscheduled.Pod)), "focus sees the same pairs")
}
