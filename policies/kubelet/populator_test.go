package kubelet

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// The populator refuses a Filesystem volume listed in volumeDevices, and a Block volume that is
// mounted, before any SELinux check: no multiple-label error and no hold on the volume.
func TestModeMismatchNeverReachesTheDesiredState(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	vol.Claim = true
	alsoDevice := resolved("dev", "node-1", "", vol, incomplete, conflicting)
	alsoDevice.Spec.Containers[0].VolumeDevices = []corev1.VolumeDevice{{Name: "v", DevicePath: "/dev/v"}}
	alsoDevice.Pod = alsoDevice.WithSpec(alsoDevice.Spec)
	later := resolved("later", "node-1", "", vol, conflicting)
	v := Run(p37, []*cluster.ResolvedPod{alsoDevice, later}, nil)
	require.Empty(t, v.Multiple)
	require.Empty(t, v.Refusals, "the refused volume holds nothing for the later pod to meet")

	block := vol
	block.Block = true
	mountsBlock := resolved("blk", "node-1", "", block, incomplete, conflicting)
	v = Run(p37, []*cluster.ResolvedPod{mountsBlock, resolved("later", "node-1", "", block, conflicting)}, nil)
	require.Empty(t, v.Multiple)
	require.Empty(t, v.Refusals)

	v = Run(p37, []*cluster.ResolvedPod{resolved("fs", "node-1", "", vol, incomplete, conflicting), later}, nil)
	require.Len(t, v.Multiple, 1, "the same pod without the device entry gets its error")

	inline := cluster.Volume{Key: "kubernetes.io/iscsi/p:q:0", PluginSupports: true}
	inlineDevice := resolved("inline", "node-1", "", inline, incomplete, conflicting)
	inlineDevice.Spec.Containers[0].VolumeDevices = []corev1.VolumeDevice{{Name: "v", DevicePath: "/dev/v"}}
	inlineDevice.Pod = inlineDevice.WithSpec(inlineDevice.Spec)
	require.Len(t, Run(p37, []*cluster.ResolvedPod{inlineDevice}, nil).Multiple, 1, "inline volumes get no volumeMode check")
}

// Two pod volumes of one pod on one volume: the populator adds them in spec.volumes order and only
// the first is compared with the pod already on the volume.
func TestSecondPodVolumeOnOneVolumeIsNotCompared(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	holder := resolved("holder", "node-1", "", vol, incomplete)
	twice := &cluster.ResolvedPod{Pod: podOf("ns", "twice", &corev1.PodSpec{
		NodeName: "node-1",
		Volumes:  []corev1.Volume{{Name: "b"}, {Name: "a"}},
		Containers: []corev1.Container{
			{Name: "x", SecurityContext: &corev1.SecurityContext{SELinuxOptions: conflicting}, VolumeMounts: []corev1.VolumeMount{{Name: "a", MountPath: "/a"}}},
			{Name: "y", SecurityContext: &corev1.SecurityContext{SELinuxOptions: incomplete}, VolumeMounts: []corev1.VolumeMount{{Name: "b", MountPath: "/b"}}},
		},
	}), Volumes: cluster.CompactVolumes(map[string]cluster.Volume{"a": vol, "b": vol})}
	v := Run(p37, []*cluster.ResolvedPod{holder, twice}, nil)
	require.Empty(t, v.Refusals, "b comes first in spec.volumes and matches the holder; a is never compared")

	twice.Spec.Volumes = []corev1.Volume{{Name: "a"}, {Name: "b"}}
	twice.Pod = twice.WithSpec(twice.Spec)
	v = Run(p37, []*cluster.ResolvedPod{holder, twice}, nil)
	require.Len(t, v.Refusals, 1)
	require.Equal(t, "a", v.Refusals[0].PodVolume)
}

// A volume used only as a raw device still enters the desired state of world, with no options and so
// the label "": it meets a pod that mounts it with a label (a claim only when its PV is Block).
func TestDeviceOnlyVolumeMeetsOthers(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	holder := resolved("holder", "node-1", "", vol, incomplete)
	device := resolved("device", "node-1", "", vol)
	device.Spec.Containers = []corev1.Container{{Name: "c", VolumeDevices: []corev1.VolumeDevice{{Name: "v", DevicePath: "/dev/v"}}}}
	device.Pod = device.WithSpec(device.Spec)
	v := Run(p37, []*cluster.ResolvedPod{holder, device}, nil)
	require.Len(t, v.Refusals, 1, "an inline volume gets no volumeMode check")
	require.Equal(t, "", v.Refusals[0].PodLabel)

	claim := vol
	claim.Claim = true
	device.Volumes = cluster.CompactVolumes(map[string]cluster.Volume{"v": claim})
	holder.Volumes = cluster.CompactVolumes(map[string]cluster.Volume{"v": claim})
	require.Empty(t, Run(p37, []*cluster.ResolvedPod{holder, device}, nil).Refusals, "a Filesystem claim used as a device is refused before any SELinux check")
	claim.Block = true
	device.Volumes = cluster.CompactVolumes(map[string]cluster.Volume{"v": claim})
	require.Len(t, Run(p37, []*cluster.ResolvedPod{holder, device}, nil).Refusals, 1, "a Block claim used as a device is checked")
}
