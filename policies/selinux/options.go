// Package selinux holds the per-Pod SELinux logic shared by the kubelet and controller views:
// which options reach a volume, how options become labels, and how labels compare.
package selinux

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// Options is the subset of corev1.SELinuxOptions the translators read.
type Options = corev1.SELinuxOptions

// VolumeUse says, for one Pod, which volumes containers mount and with which effective options.
type VolumeUse struct {
	// Mounts are pod volume names mounted by at least one container, in first-visit order.
	Mounts []string
	// Devices are pod volume names used as raw block devices; they never get a label.
	Devices []string
	// options[i] are the effective options of each container mounting Mounts[i] that has any
	// (containers without options contribute nothing).
	options [][]Options
	// index holds Mounts' positions by name, for a Pod of many names only (Use).
	index map[string]int
}

// OptionsFor lists the effective options of each container mounting the volume that has any.
func (u *VolumeUse) OptionsFor(name string) []Options {
	if i := u.position(name); i >= 0 {
		return u.options[i]
	}
	return nil
}

// position is the volume's index in Mounts, -1 when no container mounts it.
func (u *VolumeUse) position(name string) int {
	if u.index != nil {
		if i, ok := u.index[name]; ok {
			return i
		}
		return -1
	}
	return slices.Index(u.Mounts, name)
}

// PodVolumeUse visits init, regular and ephemeral containers in that order, as the kubelet does.
func PodVolumeUse(spec *corev1.PodSpec) VolumeUse {
	return Use(PodOptions(spec), Containers(spec))
}
