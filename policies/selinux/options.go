// Package selinux holds the per-Pod SELinux logic shared by the kubelet and controller views:
// which options reach a volume, how options become labels, and how labels compare.
package selinux

import corev1 "k8s.io/api/core/v1"

// Options is the subset of corev1.SELinuxOptions the translators read.
type Options = corev1.SELinuxOptions

// VolumeUse says, for one Pod, which volumes containers mount and with which effective options.
type VolumeUse struct {
	// Mounts are pod volume names mounted by at least one container, in first-visit order.
	Mounts []string
	// Devices are pod volume names used as raw block devices; they never get a label.
	Devices []string
	// OptionsFor lists, per mounted volume, the effective options of each mounting container
	// that has any (containers without options contribute nothing).
	OptionsFor map[string][]Options
}

// PodVolumeUse visits init, regular and ephemeral containers in that order, as the kubelet does.
func PodVolumeUse(spec *corev1.PodSpec) VolumeUse {
	return Use(PodOptions(spec), Containers(spec))
}
