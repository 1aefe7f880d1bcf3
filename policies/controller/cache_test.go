package controller

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/selinux"
)

func ref(key string) PodRef {
	ns, name, _ := strings.Cut(key, "/")
	return PodRef{Namespace: ns, Name: name}
}

type add struct{ pod, vol, label, policy string }

const mo, rec = "MountOption", "Recursive"

var baseline = []add{
	{"ns1/pod1-mountOption", "vol1", "system_u:system_r:label1", mo},
	{"ns2/pod2-recursive", "vol2", "", rec},
	{"ns3/pod3-1", "vol3", "", rec},
	{"ns3/pod3-2", "vol3", "", rec},
	{"ns4/pod4-1", "vol4", "system_u:system_r:label4", mo},
	{"ns4/pod4-2", "vol4", "system_u:system_r:label4", mo},
	{"ns5/pod5", "vol5", "::label5", mo},
	{"ns6/pod6", "vol6", ":system_r:label6", mo},
	{"ns7/pod7", "vol7", "::label7:c0,c1", mo},
	{"ns8/pod8", "vol8", "", mo},
}

func both(prop, pod, value, other, otherValue string) []Conflict {
	reason := ReasonLabel
	if prop == PropertyChangePolicy {
		reason = ReasonChangePolicy
	}
	return []Conflict{
		{prop, reason, ref(pod), value, ref(other), otherValue},
		{prop, reason, ref(other), otherValue, ref(pod), value},
	}
}

// Spec table C4.1.
func TestAddVolumeGetConflicts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		empty  bool
		add    add
		expect []Conflict
	}{
		{name: "new volume in empty cache", empty: true, add: add{"testns/testpod", "vol-new", "system_u:system_r:label-new", mo}},
		{name: "new volume", add: add{"testns/testpod", "vol-new", "system_u:system_r:label-new", mo}},
		{name: "same policy and label", add: add{"testns/testpod", "vol1", "system_u:system_r:label1", mo}},
		{name: "conflicting label", add: add{"testns/testpod", "vol1", "system_u:system_r:label-new", mo},
			expect: both(PropertyLabel, "testns/testpod", "system_u:system_r:label-new", "ns1/pod1-mountOption", "system_u:system_r:label1")},
		{name: "conflicting policy", add: add{"testns/testpod", "vol1", "", rec},
			expect: both(PropertyChangePolicy, "testns/testpod", rec, "ns1/pod1-mountOption", mo)},
		{name: "existing pod replaced, sole user", add: add{"ns2/pod2-recursive", "vol2", "system_u:system_r:label-new", mo}},
		{name: "existing pod replaced with conflicting policy", add: add{"ns3/pod3-1", "vol3", "system_u:system_r:label-new", mo},
			expect: both(PropertyChangePolicy, "ns3/pod3-1", mo, "ns3/pod3-2", rec)},
		{name: "missing user and role are incomparable", add: add{"testns/testpod", "vol5", "system_u:system_r:label5", mo}},
		{name: "incomparable parts but type differs", add: add{"testns/testpod", "vol5", "::label6", mo},
			expect: both(PropertyLabel, "testns/testpod", "::label6", "ns5/pod5", "::label5")},
		{name: "missing user is incomparable", add: add{"testns/testpod", "vol6", "system_u::label6", mo}},
		{name: "level vs no level conflicts", add: add{"testns/testpod", "vol7", "system_u:system_r:label7", mo},
			expect: both(PropertyLabel, "testns/testpod", "system_u:system_r:label7", "ns7/pod7", "::label7:c0,c1")},
		{name: "empty label vs no-level label", add: add{"testns/testpod", "vol8", "system_u:system_r:label8", mo}},
		{name: "empty label vs label with level", add: add{"testns/testpod", "vol8", "system_u:system_r:label8:c0,c1", mo},
			expect: both(PropertyLabel, "testns/testpod", "system_u:system_r:label8:c0,c1", "ns8/pod8", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache()
			if !tc.empty {
				for _, a := range baseline {
					require.Empty(t, c.AddVolume(a.vol, ref(a.pod), a.label, a.policy, "csiDriver1"), a.pod)
				}
			}
			got := c.AddVolume(tc.add.vol, ref(tc.add.pod), tc.add.label, tc.add.policy, "csiDriver1")
			require.ElementsMatch(t, tc.expect, got)
			require.ElementsMatch(t, tc.expect, c.GetConflicts())
			require.Equal(t, podInfo{tc.add.label, selinux.ParseLabel(tc.add.label), tc.add.policy}, c.volumes[tc.add.vol].pods[ref(tc.add.pod)].podInfo)
		})
	}
}

// Spec table C4.2.
func TestMultiVolumeConflicts(t *testing.T) {
	c := NewCache()
	l := func(x string) string { return "system_u:system_r:label" + x }
	require.Empty(t, c.AddVolume("vol1", ref("ns/podB"), l("B"), mo, "driver1"))
	require.Empty(t, c.AddVolume("vol2", ref("ns/podC"), l("C"), mo, "driver1"))
	c1 := c.AddVolume("vol1", ref("ns/podA"), l("A"), mo, "driver1")
	c2 := c.AddVolume("vol2", ref("ns/podA"), l("A"), mo, "driver1")
	require.NotEmpty(t, c1)
	require.NotEmpty(t, c2)
	require.Len(t, c.GetConflicts(), len(c1)+len(c2))
	c.DeletePod(ref("ns/podA"))
	require.Empty(t, c.GetConflicts())

	c.AddVolume("vol3", ref("ns/podD"), l("D"), mo, "driver1")
	c.AddVolume("vol4", ref("ns/podD"), l("D"), mo, "driver1")
	r3 := c.AddVolume("vol3", ref("ns/podE"), l("E"), mo, "driver1")
	r4 := c.AddVolume("vol4", ref("ns/podE"), l("E"), mo, "driver1")
	require.NotEmpty(t, r3)
	require.Equal(t, len(r3), len(r4))
	require.Len(t, c.GetConflicts(), len(r3), "identical conflicts on two volumes are reported once")
}

// Spec table C4.3.
func TestDeletePodConflicts(t *testing.T) {
	type placed struct{ pod, vol string }
	for _, tc := range []struct {
		name      string
		pods      []placed
		delete    string
		twice     bool
		surviving [][2]string
	}{
		{"delete one of two conflicting pods", []placed{{"A", "vol1"}, {"B", "vol1"}}, "A", false, nil},
		{"delete unrelated pod keeps conflicts", []placed{{"A", "vol1"}, {"B", "vol1"}, {"C", "vol2"}}, "C", false, [][2]string{{"A", "B"}}},
		{"three pods on one volume", []placed{{"A", "vol1"}, {"B", "vol1"}, {"C", "vol1"}}, "A", false, [][2]string{{"B", "C"}}},
		{"pod with conflicts on two volumes", []placed{{"B", "vol1"}, {"C", "vol2"}, {"A", "vol1"}, {"A", "vol2"}}, "A", false, nil},
		{"unrelated volume keeps conflicts", []placed{{"A", "vol1"}, {"B", "vol1"}, {"C", "vol2"}, {"D", "vol2"}}, "A", false, [][2]string{{"C", "D"}}},
		{"double delete is a no-op", []placed{{"A", "vol1"}, {"B", "vol1"}}, "A", true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache()
			for _, p := range tc.pods {
				c.AddVolume(p.vol, ref("ns/"+p.pod), "system_u:system_r:label"+p.pod, mo, "driver")
			}
			c.DeletePod(ref("ns/" + tc.delete))
			if tc.twice {
				c.DeletePod(ref("ns/" + tc.delete))
			}
			pairs := map[[2]string]bool{}
			for _, cf := range c.GetConflicts() {
				require.NotEqual(t, tc.delete, cf.Pod.Name)
				require.NotEqual(t, tc.delete, cf.OtherPod.Name)
				pairs[[2]string{cf.Pod.Name, cf.OtherPod.Name}] = true
			}
			want := map[[2]string]bool{}
			for _, s := range tc.surviving {
				want[s], want[[2]string{s[1], s[0]}] = true, true
			}
			require.Equal(t, want, pairs)
			require.Empty(t, c.VolumesOf(ref("ns/"+tc.delete)))
			for v, e := range c.volumes {
				for p := range e.pods {
					require.Contains(t, c.podToVolumes[p], v, "reverse index misses %s on %s", p, v)
				}
			}
		})
	}
}

// Spec tables C4.4 and C4.5.
func TestPodsForCSIDriverAndDeleteAll(t *testing.T) {
	c := NewCache()
	drivers := map[string]string{"vol1": "csiDriver1", "vol2": "csiDriver2", "vol3": "csiDriver2", "vol4": "csiDriver3"}
	for _, a := range baseline[:6] {
		c.AddVolume(a.vol, ref(a.pod), "label", a.policy, drivers[a.vol])
	}
	require.Equal(t, []PodRef{ref("ns1/pod1-mountOption")}, c.PodsForCSIDriver("csiDriver1"))
	require.Equal(t, []PodRef{ref("ns2/pod2-recursive"), ref("ns3/pod3-1"), ref("ns3/pod3-2")}, c.PodsForCSIDriver("csiDriver2"))
	require.Equal(t, []PodRef{ref("ns4/pod4-1"), ref("ns4/pod4-2")}, c.PodsForCSIDriver("csiDriver3"))
	require.Empty(t, c.PodsForCSIDriver("csiDriver4"))

	all := NewCache()
	for n := 0; n < 4; n++ {
		for p := 0; p < 4; p++ {
			for v := 0; v < 4; v++ {
				require.Empty(t, all.AddVolume(fmt.Sprintf("vol%d", v), ref(fmt.Sprintf("ns%d/pod%d", n, p)), "label1", mo, "d"))
			}
		}
	}
	for n := 0; n < 4; n++ {
		for p := 0; p < 4; p++ {
			all.DeletePod(ref(fmt.Sprintf("ns%d/pod%d", n, p)))
		}
	}
	require.Zero(t, all.Len())
	require.Empty(t, all.podToVolumes)
}

func TestResyncWithSameInfoIsSilent(t *testing.T) {
	c := NewCache()
	c.AddVolume("v", ref("ns/a"), ":::s0:c1", mo, "d")
	require.NotEmpty(t, c.AddVolume("v", ref("ns/b"), ":::s0:c2", mo, "d"))
	require.Empty(t, c.AddVolume("v", ref("ns/b"), ":::s0:c2", mo, "d"))
	require.Len(t, c.GetConflicts(), 2)
}

// Pods of one label and policy share one group; a pod whose value changes moves, and a group left
// empty goes, so that a long-lived cache (selmount webhook) holds no group per value it ever saw.
func TestVolumeGroupsFollowPods(t *testing.T) {
	c := NewCache()
	c.AddVolume("v", ref("ns/a"), ":::s0:c1", mo, "d")
	c.AddVolume("v", ref("ns/b"), ":::s0:c1", mo, "d")
	e := c.volumes["v"]
	require.Len(t, e.groups, 1)
	require.Same(t, e.pods[ref("ns/a")], e.pods[ref("ns/b")])

	c.AddVolume("v", ref("ns/b"), ":::s0:c2", mo, "d")
	require.Len(t, e.groups, 2)
	require.NotSame(t, e.pods[ref("ns/a")], e.pods[ref("ns/b")])
	require.Equal(t, ":::s0:c2", e.pods[ref("ns/b")].label)

	c.Record("v", ref("ns/a"), ":::s0:c2", mo, "d")
	require.Len(t, e.groups, 1, "the emptied group of s0:c1 stays")
	require.Len(t, e.pods[ref("ns/a")].pods, 2)

	c.DeletePod(ref("ns/a"))
	require.Len(t, e.groups[e.pods[ref("ns/b")].podInfo].pods, 1)
	c.DeletePod(ref("ns/b"))
	require.Empty(t, c.volumes)
}
