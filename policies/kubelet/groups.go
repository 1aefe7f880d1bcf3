package kubelet

import (
	"cmp"
	"slices"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// RefusalGroup is the refusals on one volume of the Pods of one namespace whose label reads the same,
// counted per earlier namespace and label instead of listed per pair: a volume shared by n Pods in
// a few label classes has up to n²/2 refusals but only as many groups as classes.
type RefusalGroup struct {
	Volume    cluster.Volume
	Namespace string
	// Label is the refused Pods' mount label as shown (a random level without its mark).
	Label  string
	Latent bool
	// Pods are the refused Pods, in admission order, each once.
	Pods  []*cluster.ResolvedPod
	By    []RefusedBy
	Pairs int64
}

// RefusedBy is the earlier Pods of one namespace and label that a group's Pods are refused by.
type RefusedBy struct {
	Namespace string
	Label     string
	Pairs     int64
}

// GroupedView is the kubelet's verdicts with the refusals counted per group.
type GroupedView struct {
	Multiple []MultipleLabels
	Refusals []RefusalGroup
}

// RunGrouped is Run with refusals counted instead of listed: the same pairs (as findings keep them,
// one per later Pod, earlier Pod and shown labels), in time linear in Pods times label classes.
func RunGrouped(profile gates.Profile, pods []*cluster.ResolvedPod) *GroupedView {
	v := &View{}
	groups, order := v.collect(profile, pods, nil)
	out := &GroupedView{Multiple: v.Multiple}
	for _, key := range order {
		out.Refusals = append(out.Refusals, countRefusals(profile, groups[key])...)
	}
	return out
}

// labelClass is the earlier first members of one namespace whose label reads the same, with how
// many sit on each node ("" for unscheduled). A class of random levels holds labels that all
// differ, since each mount got its own level.
type labelClass struct {
	namespace, shown string
	random           bool
	raw              string
	total            int64
	perNode          map[string]int64
}

type groupKey struct {
	namespace, shown string
	latent           bool
}

type groupAcc struct {
	group  RefusalGroup
	member map[*cluster.ResolvedPod]bool
	by     map[[2]string]int64
}

// countRefusals walks the members as refusals does, but for each later member counts, per earlier
// class, the pods it would be compared with, from per-node counts and each node's holder.
func countRefusals(profile gates.Profile, members []member) []RefusalGroup {
	type classKey struct {
		namespace, shown string
		random           bool
	}
	var classes []*labelClass
	index := map[classKey]*labelClass{}
	classOf := make([]*labelClass, len(members))
	holder := map[string]int{}
	acc := map[groupKey]*groupAcc{}
	var tried, triedShown []string
	holds := false
	ownFirst := 0
	for j, later := range members {
		node := later.pod.Model.NodeName
		if later.first {
			tried, triedShown, holds, ownFirst = nil, nil, false, j
			if _, held := holder[node]; !held && node != "" {
				holder[node] = j
			}
		}
		compared := later.supports && VolumeSupportsSELinuxMount(profile, later.vol)
		shown := selinux.Shown(later.label)
		// A later pod volume whose label reads like an earlier one of its Pod meets a subset of the
		// Pods that one met, and its pairs read the same: findings keep them once.
		if compared && !holds && !slices.Contains(triedShown, shown) {
			for _, c := range classes {
				if !c.random && (c.raw == later.label || slices.Contains(tried, c.raw)) {
					continue
				}
				now, latent := c.met(node, holder, classOf)
				if c.random && !later.first && classOf[ownFirst] == c {
					// The Pod's own first pod volume is in this class; it never refuses its own Pod.
					now -= contribution(members[ownFirst], ownFirst, node, holder)
				}
				add(acc, later, c, false, now)
				add(acc, later, c, true, latent)
			}
		}
		holds = holds || !compared
		tried, triedShown = append(tried, later.label), append(triedShown, shown)
		if !later.first {
			continue
		}
		k := classKey{later.pod.Namespace, shown, selinux.HasRandomLevel(later.label)}
		c := index[k]
		if c == nil {
			c = &labelClass{namespace: k.namespace, shown: shown, random: k.random, raw: later.label, perNode: map[string]int64{}}
			index[k] = c
			classes = append(classes, c)
		}
		c.total++
		c.perNode[node]++
		classOf[j] = c
	}
	return finish(acc)
}

// met is how many of the class's Pods a later member on node is compared with, and how many of
// those are on other known nodes (latent): all of them for an unscheduled member; otherwise the
// unscheduled ones and the node's holder, and those on other nodes as latent.
func (c *labelClass) met(node string, holder map[string]int, classOf []*labelClass) (now, latent int64) {
	if node == "" {
		return c.total, 0
	}
	now = c.perNode[""]
	if h, ok := holder[node]; ok && classOf[h] == c {
		now++
	}
	return now, c.total - c.perNode[node] - c.perNode[""]
}

// contribution is what an earlier member of the later member's own Pod adds to met: it shares the
// node, so it is never latent, and on a known node it is met only as the node's holder.
func contribution(e member, i int, node string, holder map[string]int) int64 {
	if node == "" || e.pod.Model.NodeName == "" || holder[node] == i {
		return 1
	}
	return 0
}

func add(acc map[groupKey]*groupAcc, later member, c *labelClass, latent bool, pairs int64) {
	if pairs <= 0 {
		return
	}
	k := groupKey{later.pod.Namespace, selinux.Shown(later.label), latent}
	a := acc[k]
	if a == nil {
		a = &groupAcc{group: RefusalGroup{Volume: later.vol, Namespace: k.namespace, Label: k.shown, Latent: latent},
			member: map[*cluster.ResolvedPod]bool{}, by: map[[2]string]int64{}}
		acc[k] = a
	}
	if !a.member[later.pod] {
		a.member[later.pod] = true
		a.group.Pods = append(a.group.Pods, later.pod)
	}
	a.by[[2]string{c.namespace, c.shown}] += pairs
	a.group.Pairs += pairs
}

func finish(acc map[groupKey]*groupAcc) []RefusalGroup {
	out := make([]RefusalGroup, 0, len(acc))
	for _, a := range acc {
		g := a.group
		for k, n := range a.by {
			g.By = append(g.By, RefusedBy{Namespace: k[0], Label: k[1], Pairs: n})
		}
		slices.SortFunc(g.By, func(x, y RefusedBy) int {
			return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Label, y.Label))
		})
		out = append(out, g)
	}
	slices.SortFunc(out, func(x, y RefusalGroup) int {
		return cmp.Or(cmp.Compare(x.Namespace, y.Namespace), cmp.Compare(x.Label, y.Label), cmpBool(x.Latent, y.Latent))
	})
	return out
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
