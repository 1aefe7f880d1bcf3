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

// EffectiveOptions is what the runtime applies to one container: the container's options replace the
// Pod's wholesale, with no per-field merge.
func EffectiveOptions(pod *corev1.PodSpec, sc *corev1.SecurityContext) *Options {
	if sc != nil && sc.SELinuxOptions != nil {
		return sc.SELinuxOptions
	}
	if pod.SecurityContext != nil {
		return pod.SecurityContext.SELinuxOptions
	}
	return nil
}

// PodVolumeUse visits init, regular and ephemeral containers in that order, as the kubelet does.
func PodVolumeUse(spec *corev1.PodSpec) VolumeUse {
	use := VolumeUse{OptionsFor: map[string][]Options{}}
	seenMount, seenDevice := map[string]bool{}, map[string]bool{}
	visit := func(sc *corev1.SecurityContext, mounts []corev1.VolumeMount, devices []corev1.VolumeDevice) {
		eff := EffectiveOptions(spec, sc)
		for _, m := range mounts {
			if !seenMount[m.Name] {
				seenMount[m.Name] = true
				use.Mounts = append(use.Mounts, m.Name)
			}
			if eff != nil {
				use.OptionsFor[m.Name] = append(use.OptionsFor[m.Name], *eff)
			}
		}
		for _, d := range devices {
			if !seenDevice[d.Name] {
				seenDevice[d.Name] = true
				use.Devices = append(use.Devices, d.Name)
			}
		}
	}
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		visit(c.SecurityContext, c.VolumeMounts, c.VolumeDevices)
	}
	for i := range spec.Containers {
		c := &spec.Containers[i]
		visit(c.SecurityContext, c.VolumeMounts, c.VolumeDevices)
	}
	for i := range spec.EphemeralContainers {
		c := &spec.EphemeralContainers[i].EphemeralContainerCommon
		visit(c.SecurityContext, c.VolumeMounts, c.VolumeDevices)
	}
	return use
}
