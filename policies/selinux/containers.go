package selinux

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// Container is what the volume use reads of one container: the SELinux options its own
// securityContext sets (nil when it sets none) and the volumes it mounts and uses as raw devices.
// A corev1.Container is over 400 bytes of which these are the only fields read; a scan of a large
// cluster holds one of these per container instead.
type Container struct {
	Options *Options
	Mounts  []string
	Devices []string
}

// Containers lists a spec's containers in the kubelet's visiting order: init, regular, ephemeral.
func Containers(spec *corev1.PodSpec) []Container {
	n := len(spec.InitContainers) + len(spec.Containers) + len(spec.EphemeralContainers)
	if n == 0 {
		return nil
	}
	out := make([]Container, 0, n)
	add := func(sc *corev1.SecurityContext, mounts []corev1.VolumeMount, devices []corev1.VolumeDevice) {
		c := Container{}
		if sc != nil {
			c.Options = sc.SELinuxOptions
		}
		if len(mounts) > 0 {
			c.Mounts = make([]string, len(mounts))
			for i := range mounts {
				c.Mounts[i] = mounts[i].Name
			}
		}
		if len(devices) > 0 {
			c.Devices = make([]string, len(devices))
			for i := range devices {
				c.Devices[i] = devices[i].Name
			}
		}
		out = append(out, c)
	}
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		add(c.SecurityContext, c.VolumeMounts, c.VolumeDevices)
	}
	for i := range spec.Containers {
		c := &spec.Containers[i]
		add(c.SecurityContext, c.VolumeMounts, c.VolumeDevices)
	}
	for i := range spec.EphemeralContainers {
		c := &spec.EphemeralContainers[i].EphemeralContainerCommon
		add(c.SecurityContext, c.VolumeMounts, c.VolumeDevices)
	}
	return out
}

// PodOptions are the options the Pod's securityContext sets, nil when it sets none.
func PodOptions(spec *corev1.PodSpec) *Options {
	if spec.SecurityContext == nil {
		return nil
	}
	return spec.SecurityContext.SELinuxOptions
}

// Use is the volume use of containers, listed in visiting order, in a Pod whose own options are pod.
// A container's options replace the Pod's wholesale, with no per-field merge, as the runtime does.
//
// A scan calls this for every Pod in each view, so it allocates little: the names and the options
// lists share arrays sized once, and a Pod's few names are looked up in the lists themselves; only a
// Pod with many (hostile input) gets maps, to stay linear.
func Use(pod *Options, containers []Container) VolumeUse {
	mounts, devices := 0, 0
	for _, c := range containers {
		mounts += len(c.Mounts)
		devices += len(c.Devices)
	}
	var use VolumeUse
	if mounts > 0 {
		use.Mounts, use.options = make([]string, 0, mounts), make([][]Options, 0, mounts)
	}
	if mounts+devices > smallUse {
		use.index = make(map[string]int, mounts)
	}
	var seenDevice map[string]bool
	if devices > smallUse {
		seenDevice = make(map[string]bool, devices)
	}
	// Each volume's first options come from one array; a volume's list is capped at its one entry,
	// so that a second container's options for it copy the list out instead of overwriting the next.
	var backing []Options
	for _, c := range containers {
		eff := c.Options
		if eff == nil {
			eff = pod
		}
		for _, name := range c.Mounts {
			i := use.position(name)
			if i < 0 {
				i = len(use.Mounts)
				use.Mounts, use.options = append(use.Mounts, name), append(use.options, nil)
				if use.index != nil {
					use.index[name] = i
				}
			}
			switch {
			case eff == nil:
			case use.options[i] != nil:
				use.options[i] = append(use.options[i], *eff)
			default:
				if backing == nil {
					backing = make([]Options, 0, mounts)
				}
				backing = append(backing, *eff)
				n := len(backing)
				use.options[i] = backing[n-1 : n : n]
			}
		}
		for _, name := range c.Devices {
			if seenDevice != nil {
				if seenDevice[name] {
					continue
				}
				seenDevice[name] = true
			} else if slices.Contains(use.Devices, name) {
				continue
			}
			use.Devices = append(use.Devices, name)
		}
	}
	return use
}

// smallUse is how many mount and device names a Pod may have before Use keeps a set of them.
const smallUse = 32
