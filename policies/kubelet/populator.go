package kubelet

import (
	"slices"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/selinux"
)

// PopulatorOrder is the order in which the kubelet's desired-state populator adds a pod's volumes:
// those a container mounts or uses as a raw device, in the order of spec.volumes, not of the
// containers. It decides which of two pod volumes on one volume the kubelet compares. A volume used
// only as a device has no options, so it comes with the label "" and still meets other pods. Names
// without a volumes entry (StatefulSet templates in a workload) follow in use order.
func PopulatorOrder(m *cluster.Model, use selinux.VolumeUse) []string {
	used := func(name string) bool { return slices.Contains(use.Mounts, name) || slices.Contains(use.Devices, name) }
	out := make([]string, 0, len(use.Mounts)+len(use.Devices))
	for _, v := range m.Volumes {
		if used(v.Name) && !slices.Contains(out, v.Name) {
			out = append(out, v.Name)
		}
	}
	for _, name := range append(slices.Clone(use.Mounts), use.Devices...) {
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// modeMatches is the populator's volumeMode check, which it makes for volumes from claims only: a
// mounted volume must be a Filesystem volume and a raw device a Block volume. Otherwise the pod
// volume never reaches the desired state of world ("has volumeMode …, but is specified in
// volumeDevices"): no SELinux check happens for it and it holds the volume for no one; the pod is
// stuck for that other reason.
func modeMatches(name string, vol cluster.Volume, use selinux.VolumeUse) bool {
	if !vol.Claim {
		return true
	}
	if slices.Contains(use.Mounts, name) && vol.Block {
		return false
	}
	return !slices.Contains(use.Devices, name) || vol.Block
}
