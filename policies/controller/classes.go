package controller

import (
	"cmp"
	"slices"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// Class is the Pods of one namespace that the controller stores on one volume with one label and
// policy. Pods of one class never conflict with each other; two classes conflict pairwise, every Pod
// of one with every Pod of the other, so a volume's conflicts are known from its classes in time and
// memory linear in Pods, where listing them takes the product.
type Class struct {
	Volume    string
	Namespace string
	Label     string
	Policy    string
	CSIDriver string
	// Pods are sorted by name.
	Pods  []PodRef
	parts [4]string
}

// Classes syncs the pods as Run does, conflicts left out, and returns the cache's final state as
// classes, sorted by volume, namespace, label and policy. The final state does not depend on the
// order the conflicts were found in, so these are exactly the conflicts Run reports, per volume.
func Classes(profile gates.Profile, pods []*cluster.ResolvedPod) []Class {
	if !profile.ControllerRuns() {
		return nil
	}
	v := &View{Cache: NewCache(), VolumeOf: map[Conflict]string{}}
	for _, p := range pods {
		v.sync(profile, p, true)
	}
	type key struct{ namespace, label, policy string }
	var out []Class
	for volume, entry := range v.Cache.volumes {
		index := map[key]int{}
		start := len(out)
		for pod, info := range entry.pods {
			k := key{pod.Namespace, info.label, info.policy}
			i, ok := index[k]
			if !ok {
				i = len(out)
				index[k] = i
				out = append(out, Class{Volume: volume, Namespace: pod.Namespace, Label: info.label, Policy: info.policy, CSIDriver: entry.csiDriver, parts: info.parts})
			}
			out[i].Pods = append(out[i].Pods, pod)
		}
		for i := start; i < len(out); i++ {
			slices.SortFunc(out[i].Pods, func(a, b PodRef) int { return cmp.Compare(a.Name, b.Name) })
		}
	}
	slices.SortFunc(out, func(a, b Class) int {
		return cmp.Or(cmp.Compare(a.Volume, b.Volume), cmp.Compare(a.Namespace, b.Namespace),
			cmp.Compare(a.Label, b.Label), cmp.Compare(a.Policy, b.Policy))
	})
	return out
}

// ClassConflicts says which properties the Pods of a conflict with those of b on their volume, as
// AddVolume compares two cache entries.
func ClassConflicts(a, b *Class) (policy, label bool) {
	return a.Policy != b.Policy, selinux.Conflicts(a.parts, b.parts)
}

// PerVolume splits sorted classes into runs of one volume each.
func PerVolume(classes []Class) [][]Class {
	var out [][]Class
	for i := 0; i < len(classes); {
		j := i + 1
		for j < len(classes) && classes[j].Volume == classes[i].Volume {
			j++
		}
		out = append(out, classes[i:j])
		i = j
	}
	return out
}

// EachConflict calls visit with every directed conflict of the classes, volume by volume, in the
// order Run's conflicts would be listed per volume within a class pair; it stops when visit returns
// false. A conflict carried by two volumes is visited once per volume: callers that count pairs
// as upstream's metric does deduplicate.
func EachConflict(classes []Class, visit func(volume string, c Conflict) bool) {
	for _, vol := range PerVolume(classes) {
		for i := range vol {
			for j := range vol {
				if i == j {
					continue
				}
				a, b := &vol[i], &vol[j]
				policy, label := ClassConflicts(a, b)
				if !policy && !label {
					continue
				}
				for _, p := range a.Pods {
					for _, o := range b.Pods {
						if policy && !visit(a.Volume, Conflict{PropertyChangePolicy, ReasonChangePolicy, p, a.Policy, o, b.Policy}) {
							return
						}
						if label && !visit(a.Volume, Conflict{PropertyLabel, ReasonLabel, p, a.Label, o, b.Label}) {
							return
						}
					}
				}
			}
		}
	}
}
