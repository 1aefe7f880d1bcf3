package kubelet

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/selinux"
)

var (
	complete    = &selinux.Options{User: "system_u", Role: "object_r", Type: "container_t", Level: "s0:c1,c2"}
	incomplete  = &selinux.Options{Level: "s0:c1,c2"}
	conflicting = &selinux.Options{User: "system_u", Role: "object_r", Type: "container_t", Level: "s0:c98,c99"}
	completeLbl = "system_u:object_r:container_file_t:s0:c1,c2"
)

func basicPV(mode corev1.PersistentVolumeAccessMode, sup bool) cluster.Volume {
	return cluster.Volume{Key: "basic/basicPV", SpecName: "basicPV", HasPV: true, AccessModes: []corev1.PersistentVolumeAccessMode{mode}, PluginSupports: sup}
}

func podVolume(pod string, vol cluster.Volume, opts *selinux.Options, pol string) PodVolume {
	pv := PodVolume{Pod: pod, Name: "basicPV", Volume: vol, Policy: policyPtr(pol)}
	if opts != nil {
		pv.Opts = []selinux.Options{*opts}
	}
	return pv
}

const rwop, rwx = corev1.ReadWriteOncePod, corev1.ReadWriteMany

// Spec table C7 (one pod; the fake translator of the kubelet unit tests).
func TestDSWSinglePod(t *testing.T) {
	for i, tc := range []struct {
		gates []string
		sup   bool
		mode  corev1.PersistentVolumeAccessMode
		opts  *selinux.Options
		pol   string
		want  string
	}{
		{nil, true, rwop, complete, "", completeLbl},
		{nil, true, rwop, incomplete, "", completeLbl},
		{nil, true, rwop, nil, "", ""},
		{nil, false, rwop, complete, "", ""},
		{nil, true, rwx, complete, "", ""},
		{[]string{"CP"}, true, rwx, complete, "", ""},
		{[]string{"CP"}, true, rwx, complete, "Recursive", ""},
		{[]string{"CP"}, true, rwx, complete, "MountOption", ""},
		{[]string{"CP"}, true, rwop, complete, "Recursive", ""},
		{[]string{"CP"}, true, rwop, complete, "MountOption", completeLbl},
		{[]string{"CP", "Mount"}, true, rwx, complete, "", completeLbl},
		{[]string{"CP", "Mount"}, true, rwx, complete, "Recursive", ""},
		{[]string{"CP", "Mount"}, true, rwx, complete, "MountOption", completeLbl},
		{[]string{"CP", "Mount"}, true, rwop, complete, "Recursive", ""},
		{[]string{"CP", "Mount"}, true, rwop, complete, "MountOption", completeLbl},
	} {
		d := NewDSW(profileOf(tc.gates...), selinux.FakeFileLabel)
		vol := basicPV(tc.mode, tc.sup)
		res := d.AddPodToVolume(podVolume("pod1", vol, tc.opts, tc.pol))
		require.NoError(t, res.Err, "case %d", i+1)
		require.Equal(t, tc.want, d.EffectiveLabel(vol.Key), "case %d", i+1)
	}
}

// Spec table C8 (two pods on one volume).
func TestDSWMultiplePods(t *testing.T) {
	for _, tc := range []struct {
		n      int
		gates  []string
		mode   corev1.PersistentVolumeAccessMode
		o2     *selinux.Options
		p1, p2 string
		err    bool
		want   string
		metric string
	}{
		{1, nil, rwop, complete, "", "", false, completeLbl, MetricNone},
		{2, nil, rwop, conflicting, "", "", true, completeLbl, MetricVolumeMismatchErrors},
		{3, nil, rwx, complete, "", "", false, "", MetricNone},
		{4, []string{"CP"}, rwop, complete, "", "", false, completeLbl, MetricNone},
		{5, []string{"CP"}, rwop, complete, "Recursive", "Recursive", false, "", MetricNone},
		{6, []string{"CP"}, rwop, complete, "Recursive", "", true, "", MetricVolumeMismatchErrors},
		{7, []string{"CP"}, rwx, complete, "Recursive", "Recursive", false, "", MetricNone},
		{8, []string{"CP"}, rwx, complete, "MountOption", "MountOption", false, "", MetricNone},
		{9, []string{"CP"}, rwx, complete, "MountOption", "Recursive", false, "", MetricVolumeMismatchWarnings},
		{10, []string{"CP"}, rwx, conflicting, "Recursive", "Recursive", false, "", MetricNone},
		{11, []string{"CP"}, rwx, conflicting, "MountOption", "MountOption", false, "", MetricVolumeMismatchWarnings},
		{12, []string{"CP", "Mount"}, rwop, complete, "", "", false, completeLbl, MetricNone},
		{13, []string{"CP", "Mount"}, rwop, complete, "Recursive", "Recursive", false, "", MetricNone},
		{14, []string{"CP", "Mount"}, rwop, complete, "Recursive", "", true, "", MetricVolumeMismatchErrors},
		{15, []string{"CP", "Mount"}, rwx, complete, "Recursive", "Recursive", false, "", MetricNone},
		{16, []string{"CP", "Mount"}, rwx, complete, "MountOption", "MountOption", false, completeLbl, MetricNone},
		{17, []string{"CP", "Mount"}, rwx, complete, "", "MountOption", false, completeLbl, MetricNone},
		{18, []string{"CP", "Mount"}, rwx, complete, "MountOption", "Recursive", true, completeLbl, MetricVolumeMismatchErrors},
		{19, []string{"CP", "Mount"}, rwx, conflicting, "Recursive", "Recursive", false, "", MetricNone},
		{20, []string{"CP", "Mount"}, rwx, conflicting, "MountOption", "MountOption", true, completeLbl, MetricVolumeMismatchErrors},
	} {
		d := NewDSW(profileOf(tc.gates...), selinux.FakeFileLabel)
		vol := basicPV(tc.mode, true)
		first := d.AddPodToVolume(podVolume("pod1", vol, complete, tc.p1))
		require.NoError(t, first.Err, "case %d: the first pod never fails", tc.n)
		res := d.AddPodToVolume(podVolume("pod2", vol, tc.o2, tc.p2))
		require.Equal(t, tc.err, res.Err != nil, "case %d: %v", tc.n, res.Err)
		require.Equal(t, tc.metric, res.Metric, "case %d", tc.n)
		require.Equal(t, tc.want, d.EffectiveLabel(vol.Key), "case %d", tc.n)
		if res.Err != nil {
			require.Contains(t, res.Err.Error(), "conflicting SELinux labels of volume basicPV: ", "case %d", tc.n)
			require.Equal(t, "pod1", res.Against)
		}
	}
}

func TestDSWMultipleLabelsInPod(t *testing.T) {
	vol := basicPV(rwx, true)
	pv := PodVolume{Pod: "p", Name: "basicPV", Volume: vol, Opts: []selinux.Options{*complete, *conflicting}}
	res := NewDSW(profileOf("CP", "Mount"), selinux.KubeletFileLabel).AddPodToVolume(pv)
	require.Error(t, res.Err)
	require.Equal(t, MetricPodMismatchErrors, res.Metric)

	res = NewDSW(profileOf("CP"), selinux.KubeletFileLabel).AddPodToVolume(pv)
	require.NoError(t, res.Err)
	require.Equal(t, MetricPodMismatchWarnings, res.Metric)
}
