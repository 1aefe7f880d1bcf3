// Package controller models kube-controller-manager's selinux-warning-controller: its volume cache,
// the conflicts it finds, and the events and metric it reports.
package controller

import (
	"cmp"
	"slices"
	"sort"

	"github.com/selmount/selmount/policies/selinux"
)

// Properties and event reasons, as upstream spells them.
const (
	PropertyLabel        = "SELinuxLabel"
	PropertyChangePolicy = "SELinuxChangePolicy"
	ReasonLabel          = "SELinuxLabelConflict"
	ReasonChangePolicy   = "SELinuxChangePolicyConflict"
)

// PodRef names a pod by namespace and name.
type PodRef struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// Key is "namespace/name".
func (r PodRef) Key() string { return r.Namespace + "/" + r.Name }

// Conflict is one directed conflict: Pod's value clashes with OtherPod's on one property.
type Conflict struct {
	Property      string
	Reason        string
	Pod           PodRef
	PodValue      string
	OtherPod      PodRef
	OtherPodValue string
}

type podInfo struct {
	label  string
	parts  [4]string
	policy string
}

// podGroup is one distinct label and policy on a volume and the pods that carry it. A new pod is
// compared once per group rather than once per pod (a volume may carry thousands of identical pods),
// and the group's pods share its podInfo.
type podGroup struct {
	podInfo
	pods map[PodRef]bool
}

type volumeEntry struct {
	csiDriver string
	pods      map[PodRef]*podGroup
	groups    map[podInfo]*podGroup
}

func newVolumeEntry(csiDriver string) *volumeEntry {
	return &volumeEntry{csiDriver: csiDriver, pods: map[PodRef]*podGroup{}, groups: map[podInfo]*podGroup{}}
}

func (e *volumeEntry) put(pod PodRef, info podInfo) {
	e.remove(pod)
	g, ok := e.groups[info]
	if !ok {
		g = &podGroup{podInfo: info, pods: map[PodRef]bool{}}
		e.groups[info] = g
	}
	g.pods[pod] = true
	e.pods[pod] = g
}

func (e *volumeEntry) remove(pod PodRef) {
	g, ok := e.pods[pod]
	if !ok {
		return
	}
	delete(e.pods, pod)
	delete(g.pods, pod)
	if len(g.pods) == 0 {
		delete(e.groups, g.podInfo)
	}
}

// Cache is the controller's view of which pods use which volume with which label and policy.
type Cache struct {
	volumes map[string]*volumeEntry
	// podToVolumes is the reverse index, a short list per pod: a map per pod was a tenth of a
	// large scan's memory.
	podToVolumes map[PodRef][]string
	conflicts    map[string][]Conflict
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{volumes: map[string]*volumeEntry{}, podToVolumes: map[PodRef][]string{}, conflicts: map[string][]Conflict{}}
}

// AddVolume records that pod uses volume with label and policy, and returns the conflicts this adds
// (both directions). The first pod on a volume, and a re-sync with the same information, add none.
func (c *Cache) AddVolume(volume string, pod PodRef, label, policy, csiDriver string) []Conflict {
	info := podInfo{label: label, parts: selinux.ParseLabel(label), policy: policy}
	entry, known := c.volumes[volume]
	if !known {
		entry = newVolumeEntry(csiDriver)
		entry.put(pod, info)
		c.volumes[volume] = entry
		c.index(pod, volume)
		return nil
	}
	old, existed := entry.pods[pod]
	if existed && old.podInfo == info {
		return nil
	}
	entry.put(pod, info)
	c.index(pod, volume)

	clashing := map[PodRef]podInfo{}
	for o, g := range entry.groups {
		if o.policy == policy && !selinux.Conflicts(o.parts, info.parts) {
			continue
		}
		for other := range g.pods {
			if other != pod {
				clashing[other] = o
			}
		}
	}
	// Upstream emits, per other pod, the policy pair then the label pair; other pods in key order.
	var out []Conflict
	for _, other := range sortedPods(clashing) {
		o := clashing[other]
		if o.policy != policy {
			out = append(out,
				Conflict{PropertyChangePolicy, ReasonChangePolicy, pod, policy, other, o.policy},
				Conflict{PropertyChangePolicy, ReasonChangePolicy, other, o.policy, pod, policy})
		}
		if selinux.Conflicts(o.parts, info.parts) {
			out = append(out,
				Conflict{PropertyLabel, ReasonLabel, pod, label, other, o.label},
				Conflict{PropertyLabel, ReasonLabel, other, o.label, pod, label})
		}
	}
	kept := c.conflicts[volume]
	if existed {
		kept = withoutPod(kept, pod)
	}
	kept = append(kept, out...)
	if len(kept) == 0 {
		delete(c.conflicts, volume)
	} else {
		c.conflicts[volume] = kept
	}
	return out
}

// Record puts a pod on a volume without looking for conflicts, for replaying one admission against
// pods whose mutual conflicts are not asked for.
func (c *Cache) Record(volume string, pod PodRef, label, policy, csiDriver string) {
	entry, known := c.volumes[volume]
	if !known {
		entry = newVolumeEntry(csiDriver)
		c.volumes[volume] = entry
	}
	entry.put(pod, podInfo{label: label, parts: selinux.ParseLabel(label), policy: policy})
	c.index(pod, volume)
}

func (c *Cache) index(pod PodRef, volume string) {
	if !slices.Contains(c.podToVolumes[pod], volume) {
		c.podToVolumes[pod] = append(c.podToVolumes[pod], volume)
	}
}

func withoutPod(in []Conflict, pod PodRef) []Conflict {
	var out []Conflict
	for _, c := range in {
		if c.Pod != pod && c.OtherPod != pod {
			out = append(out, c)
		}
	}
	return out
}

// Upstream iterates a map; selmount sorts so that output is reproducible.
func sortedPods(m map[PodRef]podInfo) []PodRef {
	out := make([]PodRef, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// DeletePod forgets a pod and every conflict it took part in. Deleting twice is harmless.
func (c *Cache) DeletePod(pod PodRef) {
	for _, volume := range c.podToVolumes[pod] {
		if kept := withoutPod(c.conflicts[volume], pod); len(kept) > 0 {
			c.conflicts[volume] = kept
		} else {
			delete(c.conflicts, volume)
		}
		entry := c.volumes[volume]
		entry.remove(pod)
		if len(entry.pods) == 0 {
			delete(c.volumes, volume)
		}
	}
	delete(c.podToVolumes, pod)
}

// GetConflicts is every active conflict once, even when two volumes carry the same one, sorted.
func (c *Cache) GetConflicts() []Conflict {
	seen := map[Conflict]bool{}
	var out []Conflict
	for _, list := range c.conflicts {
		for _, cf := range list {
			if !seen[cf] {
				seen[cf] = true
				out = append(out, cf)
			}
		}
	}
	SortConflicts(out)
	return out
}

// SortConflicts orders conflicts by pod, other pod, property and values.
func SortConflicts(cs []Conflict) {
	slices.SortFunc(cs, func(a, b Conflict) int {
		return cmp.Or(
			cmp.Compare(a.Pod.Namespace, b.Pod.Namespace), cmp.Compare(a.Pod.Name, b.Pod.Name),
			cmp.Compare(a.OtherPod.Namespace, b.OtherPod.Namespace), cmp.Compare(a.OtherPod.Name, b.OtherPod.Name),
			cmp.Compare(a.Property, b.Property), cmp.Compare(a.PodValue, b.PodValue), cmp.Compare(a.OtherPodValue, b.OtherPodValue))
	})
}

// PodsForCSIDriver lists the pods on volumes first recorded with that driver.
func (c *Cache) PodsForCSIDriver(driver string) []PodRef {
	set := map[PodRef]podInfo{}
	for _, entry := range c.volumes {
		if entry.csiDriver != driver {
			continue
		}
		for p := range entry.pods {
			set[p] = podInfo{}
		}
	}
	return sortedPods(set)
}

// VolumesOf lists the volumes the cache holds for a pod, for consistency checks.
func (c *Cache) VolumesOf(pod PodRef) []string {
	out := slices.Clone(c.podToVolumes[pod])
	sort.Strings(out)
	return out
}

// Len is the number of volumes tracked.
func (c *Cache) Len() int { return len(c.volumes) }
