package cluster

import corev1 "k8s.io/api/core/v1"

// interner makes equal strings and SELinux options one value. A dump repeats them on every Pod
// (the namespace, the node, "kube-api-access", the level of a namespace's Pods) and the decoder
// allocates each afresh. Bounded: past maxInterned values it starts again, which costs only sharing.
type interner struct {
	strings map[string]string
	options map[corev1.SELinuxOptions]*corev1.SELinuxOptions
}

const maxInterned = 1 << 14

func newInterner() *interner {
	return &interner{strings: map[string]string{}, options: map[corev1.SELinuxOptions]*corev1.SELinuxOptions{}}
}

func (in *interner) string(s string) string {
	if v, ok := in.strings[s]; ok {
		return v
	}
	if len(in.strings) >= maxInterned {
		clear(in.strings)
	}
	in.strings[s] = s
	return s
}

func (in *interner) strs(list []string) {
	for i := range list {
		list[i] = in.string(list[i])
	}
}

func (in *interner) opts(o *corev1.SELinuxOptions) *corev1.SELinuxOptions {
	if o == nil {
		return nil
	}
	if v, ok := in.options[*o]; ok {
		return v
	}
	if len(in.options) >= maxInterned {
		clear(in.options)
	}
	in.options[*o] = o
	return o
}

// pod interns what a Pod read for the model keeps. The Model's claim sources are copied, as they
// are shared with nothing else.
func (in *interner) pod(p *Pod) {
	p.Namespace, p.Kind = in.string(p.Namespace), in.string(p.Kind)
	m := p.Model
	m.NodeName, m.SELinux = in.string(m.NodeName), in.opts(m.SELinux)
	for i := range m.Containers {
		c := &m.Containers[i]
		c.Options = in.opts(c.Options)
		in.strs(c.Mounts)
		in.strs(c.Devices)
	}
	for i := range m.Volumes {
		v := &m.Volumes[i]
		v.Name = in.string(v.Name)
		if v.Claim != nil {
			claim := *v.Claim
			claim.ClaimName = in.string(claim.ClaimName)
			v.Claim = &claim
		}
	}
}
