package cluster

// DetachSpecs copies each Pod's spec out of the object it was read from. A Pod keeps its object's
// spec by pointer, and so the whole object: a corev1.Pod is twice its PodSpec, and its metadata and
// status are never read. A caller that drops the objects once the state is built (the scan of a
// 100k-Pod dump) frees the rest; the copy is shallow, so the spec's slices and maps are shared.
func (s *State) DetachSpecs() {
	for _, p := range s.Pods {
		spec := *p.Spec
		p.Spec = &spec
	}
}
