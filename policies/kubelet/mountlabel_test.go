package kubelet

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

func policyPtr(p string) *corev1.PodSELinuxChangePolicy {
	if p == "" {
		return nil
	}
	v := corev1.PodSELinuxChangePolicy(p)
	return &v
}

func profileOf(gs ...string) gates.Profile {
	p := gates.Profile{RWOP: true}
	for _, g := range gs {
		switch g {
		case "CP":
			p.CP = true
		case "Mount":
			p.Mount = true
		}
	}
	return p
}

// Spec table C6 (fake translator, RWOP gate always on).
func TestMountInfo(t *testing.T) {
	o1 := selinux.Options{Level: "s0:c123,c456"}
	o2 := selinux.Options{Level: "s0:c234,c567"}
	o3 := selinux.Options{Level: "s0:c345,c678"}
	l1 := "system_u:object_r:container_file_t:s0:c123,c456"
	for _, tc := range []struct {
		name   string
		gates  []string
		sup    bool
		pol    string
		opts   []selinux.Options
		want   Info
		errors bool
	}{
		{"no label no policy", nil, true, "", nil, Info{"", "", true}, false},
		{"no label Recursive", nil, true, "Recursive", nil, Info{"", "", true}, false},
		{"one label Recursive, CP off", nil, true, "Recursive", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"one label Recursive, CP on", []string{"CP"}, true, "Recursive", []selinux.Options{o1}, Info{"", l1, true}, false},
		{"one label no policy", nil, true, "", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"one label MountOption", nil, true, "MountOption", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"RWX no policy", nil, true, "", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"RWX no policy CP", []string{"CP"}, true, "", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"RWX MountOption CP", []string{"CP"}, true, "MountOption", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"RWX no policy CP+Mount", []string{"CP", "Mount"}, true, "", []selinux.Options{o1}, Info{l1, l1, true}, false},
		{"Recursive CP, no plugin support", []string{"CP"}, false, "Recursive", []selinux.Options{o1}, Info{"", l1, false}, false},
		{"no policy, no plugin support", nil, false, "", []selinux.Options{o1}, Info{"", l1, false}, false},
		{"MountOption, no plugin support", nil, false, "MountOption", []selinux.Options{o1}, Info{"", l1, false}, false},
		{"4x same label", nil, true, "", []selinux.Options{o1, o1, o1, o1}, Info{l1, l1, true}, false},
		{"3 different labels", nil, true, "", []selinux.Options{o1, o2, o3}, Info{}, true},
		{"3 different labels Recursive", nil, true, "Recursive", []selinux.Options{o1, o2, o3}, Info{}, true},
	} {
		got, err := MountInfo(profileOf(tc.gates...), policyPtr(tc.pol), tc.sup, tc.opts, selinux.FakeFileLabel)
		if tc.errors {
			require.Error(t, err, tc.name)
			require.IsType(t, &MultipleLabelsError{}, err, tc.name)
			require.Contains(t, err.Error(), "multiple SELinux labels found: ", tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
}

func TestRWOPGateOffGivesNothing(t *testing.T) {
	got, err := MountInfo(gates.Profile{CP: true, Mount: true}, nil, true, []selinux.Options{{Level: "s0"}, {Level: "s1"}}, selinux.KubeletFileLabel)
	require.NoError(t, err)
	require.Equal(t, Info{}, got)
}

func TestMountOptionQuoting(t *testing.T) {
	require.Equal(t, `context="system_u:object_r:container_file_t:s0:c0,c1"`, MountOption("system_u:object_r:container_file_t:s0:c0,c1"))
}

// Spec A7 decision table on a real node (real translator), CSI driver with seLinuxMount.
func TestMountContextDecisionTable(t *testing.T) {
	opts := []selinux.Options{{User: "system_u", Role: "system_r", Type: "container_t", Level: "s0:c0,c1"}}
	label := "system_u:object_r:container_file_t:s0:c0,c1"
	for _, tc := range []struct {
		rwop, cp, mount bool
		mode            corev1.PersistentVolumeAccessMode
		pol             string
		want            string
	}{
		{false, true, true, rwop, "", ""},
		{true, false, false, rwop, "Recursive", label},
		{true, false, false, rwx, "", ""},
		{true, true, false, rwop, "", label},
		{true, true, false, rwop, "MountOption", label},
		{true, true, false, rwop, "Recursive", ""},
		{true, true, false, rwx, "MountOption", ""},
		{true, true, true, rwx, "", label},
		{true, true, true, rwx, "MountOption", label},
		{true, true, true, rwx, "Recursive", ""},
	} {
		vol := basicPV(tc.mode, true)
		got, err := MountContext(gates.Profile{RWOP: tc.rwop, CP: tc.cp, Mount: tc.mount}, policyPtr(tc.pol), vol, opts)
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "%+v", tc)
	}
	inline := cluster.Volume{PluginSupports: true}
	got, _ := MountContext(gates.Profile{RWOP: true, CP: true, Mount: true}, nil, inline, opts)
	require.Empty(t, got, "volumes without a PV are never mounted with context")
	unsupported := basicPV(rwx, false)
	got, _ = MountContext(gates.Profile{RWOP: true, CP: true, Mount: true}, nil, unsupported, opts)
	require.Empty(t, got)
}
