package cluster

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/selinux"
)

// Model is what the model reads of a Pod's spec. The views read only this, never the corev1 spec,
// so that a scan of a large cluster can drop the specs once the state is built (State.DropSpecs):
// a decoded PodSpec with its containers and volumes is several times the Model, and more than
// the JSON it came from.
type Model struct {
	NodeName string
	Windows  bool
	// ChangePolicy is the Pod's seLinuxChangePolicy as written, nil when unset.
	ChangePolicy *corev1.PodSELinuxChangePolicy
	// SELinux are the options of the Pod's securityContext, nil when unset.
	SELinux    *selinux.Options
	Containers []selinux.Container
	// Volumes are spec.volumes in order.
	Volumes []ModelVolume
}

// ModelVolume is one entry of spec.volumes.
type ModelVolume struct {
	Name string
	// Claim is the source of a volume that is only a claim, the most common shared volume, held
	// without a VolumeSource, which is thirty pointers.
	Claim *corev1.PersistentVolumeClaimVolumeSource
	// Source is any other volume's source, nil when it holds only sources whose content no
	// resolution reads (unsharedSource).
	Source *corev1.VolumeSource
}

// unsharedSource clears the sources that resolve as no source at all: never shared between Pods,
// nothing resolved from their content. They are most volumes of a real Pod (its service account
// token, its config maps and secrets, its scratch space), and each is a struct of its own.
func unsharedSource(src *corev1.VolumeSource) {
	src.ConfigMap, src.Secret, src.Projected, src.DownwardAPI, src.EmptyDir = nil, nil, nil, nil, nil
}

// ModelOf reads the Model of a spec. It shares the spec's strings and SELinux options, never its
// structs, so the spec itself can be dropped.
func ModelOf(spec *corev1.PodSpec) *Model {
	m := &Model{NodeName: spec.NodeName, Windows: spec.OS != nil && spec.OS.Name == corev1.Windows,
		SELinux: selinux.PodOptions(spec), Containers: selinux.Containers(spec)}
	if spec.SecurityContext != nil {
		m.ChangePolicy = spec.SecurityContext.SELinuxChangePolicy
	}
	if len(spec.Volumes) > 0 {
		m.Volumes = make([]ModelVolume, len(spec.Volumes))
	}
	for i := range spec.Volumes {
		v := &spec.Volumes[i]
		m.Volumes[i].Name = v.Name
		src := v.VolumeSource
		unsharedSource(&src)
		switch src {
		case corev1.VolumeSource{}:
		case corev1.VolumeSource{PersistentVolumeClaim: src.PersistentVolumeClaim}:
			m.Volumes[i].Claim = src.PersistentVolumeClaim
		default:
			m.Volumes[i].Source = &src
		}
	}
	return m
}

// Use is which volumes the containers mount and use as devices, with which options.
func (m *Model) Use() selinux.VolumeUse { return selinux.Use(m.SELinux, m.Containers) }

// source is a volume's source for resolution, the zero source when it has none that matters. It is
// a value: a scan resolves every volume of every Pod, and a pointer to a new source was one heap
// object per volume.
func (v *ModelVolume) source() corev1.VolumeSource {
	switch {
	case v.Claim != nil:
		return corev1.VolumeSource{PersistentVolumeClaim: v.Claim}
	case v.Source == nil:
		return corev1.VolumeSource{}
	}
	return *v.Source
}
