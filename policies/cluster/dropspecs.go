package cluster

// DropSpecs lets go of each Pod's spec, keeping its Model, which is all the views read. A Pod
// holds its spec by pointer into the object it was read from, and so the whole object: a corev1.Pod
// is twice its PodSpec, and a decoded PodSpec with its containers and volumes is larger than its
// JSON. A caller that drops the objects once the state is built (the scan of a 100k-Pod dump) frees
// all of it; what stays is the Model, a few hundred bytes a Pod.
func (s *State) DropSpecs() {
	for _, p := range s.Pods {
		p.Spec = nil
	}
}
