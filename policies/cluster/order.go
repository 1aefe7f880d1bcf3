package cluster

import (
	"cmp"
	"slices"
)

// OrderByCreation puts the Pods (and workloads) in the order the cluster created them, which is what
// a Pod's position stands for: the kubelet's first holder of a volume, the Pod SELINUX-006 leaves in
// ContainerCreating. A manifest's order is its apply order, but a dump (`kubectl get -o json`, a
// LIST) is sorted by namespace and name, so position there would blame the alphabetically later Pod.
//
// Pods without a creationTimestamp (every manifest and scenario) keep their input order and come
// first, as Gatekeeper's Rego sorts "" before any timestamp; the others follow by (creationTimestamp,
// namespace, kind, name), Gatekeeper's order (rego/lib/selmount/input.rego, relevant_pods): a
// timestamp has whole seconds, so ties are common and must break the same way. The sort is stable
// and Pods are only moved, so an input without timestamps is left exactly as it was.
//
// State.Apply and PutPod do not call it: replayed admissions are in admission order already, and an
// admitted Pod is the latest whatever its (usually still unset) timestamp says.
func (s *State) OrderByCreation() {
	slices.SortStableFunc(s.Pods, compareCreation)
	for i, p := range s.Pods {
		s.podIndex[p.Key()] = i
	}
}

func compareCreation(a, b *Pod) int {
	az, bz := a.Created.IsZero(), b.Created.IsZero()
	switch {
	case az && bz:
		return 0 // input order, kept by the stable sort
	case az || bz:
		if az {
			return -1
		}
		return 1
	}
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	// A workload's Name is "<Kind>/<name>": within one kind that orders as the name alone.
	return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
}
