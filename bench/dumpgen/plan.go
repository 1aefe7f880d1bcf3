package dumpgen

import "fmt"

// Shares of the volume groups that carry each kind of trouble; the rest agree on one label. They are
// per group, so findings grow linearly with the pod count.
const (
	shareOtherLevel  = 0.15 // one pod with another level: SELINUX-001 and -006
	shareUnlabelled  = 0.08 // one pod without seLinuxOptions (the privileged backup case): -001, -002, -006
	shareRecursive   = 0.05 // one pod with seLinuxChangePolicy Recursive: -002, -006
	shareTwoLevels   = 0.01 // one pod whose containers use two levels: -003
	shareFinished    = 0.03 // one pod that has Succeeded and must be ignored
	shareOptOutNS    = 0.10 // namespaces labelled with the opt-out: -004 for their pods
	shareTypoNS      = 0.02 // namespaces whose opt-out label is misspelt: -005 (warning) for their pods
	shareWindowsPods = 0.002
	labelsPerNS      = 64
)

type podPlan struct {
	index     int
	namespace int
	group     int
	name      string
	owner     string // the ReplicaSet
	hash      string
	node      int
	level     string // "" = no seLinuxOptions
	level2    string // a second container's level, "" when it has none of its own
	recursive bool
	succeeded bool
	windows   bool
}

type groupPlan struct {
	index     int
	namespace int
	driver    int
	claimUID  string
	mode      string
}

type clusterPlan struct {
	pods       []podPlan
	groups     []groupPlan
	namespaces int
}

// plan cuts the pods into groups of 2–4 that share one claim, in one namespace, and decides each
// pod's labels. Pods of a group land on random nodes, so some pairs meet on a node and some do not.
func (g *generator) plan() clusterPlan {
	p := clusterPlan{namespaces: (g.cfg.Pods + g.cfg.PodsPerNamespace - 1) / g.cfg.PodsPerNamespace}
	nodes := max(1, g.cfg.Pods/g.cfg.PodsPerNode)
	for i := 0; i < g.cfg.Pods; {
		size := min(2+g.rng.IntN(3), g.cfg.Pods-i)
		ns := i / g.cfg.PodsPerNamespace
		grp := groupPlan{index: len(p.groups), namespace: ns, driver: g.rng.IntN(len(drivers)), claimUID: g.uid(), mode: "ReadWriteMany"}
		p.groups = append(p.groups, grp)
		level := mcsLevel(ns, g.rng.IntN(labelsPerNS))
		odd := g.rng.IntN(size) // the pod that carries this group's trouble, if any
		trouble := g.rng.Float64()
		for k := 0; k < size; k++ {
			pod := podPlan{index: i + k, namespace: ns, group: grp.index, node: g.rng.IntN(nodes), level: level}
			pod.hash = g.suffix(9)
			pod.owner = fmt.Sprintf("app-%05d-%s", grp.index, pod.hash)
			pod.name = pod.owner + "-" + g.suffix(5)
			if k == odd {
				switch {
				case trouble < shareOtherLevel:
					pod.level = mcsLevel(ns, labelsPerNS+g.rng.IntN(labelsPerNS))
				case trouble < shareOtherLevel+shareUnlabelled:
					pod.level = ""
				case trouble < shareOtherLevel+shareUnlabelled+shareRecursive:
					pod.recursive = true
				case trouble < shareOtherLevel+shareUnlabelled+shareRecursive+shareTwoLevels:
					pod.level2 = mcsLevel(ns, 2*labelsPerNS)
				case trouble < shareOtherLevel+shareUnlabelled+shareRecursive+shareTwoLevels+shareFinished:
					pod.succeeded = true
					pod.level = mcsLevel(ns, 3*labelsPerNS)
				}
			}
			pod.windows = g.rng.Float64() < shareWindowsPods && pod.level == ""
			p.pods = append(p.pods, pod)
		}
		i += size
	}
	return p
}

// mcsLevel gives each namespace its own category pair range, as OpenShift-style allocators do.
func mcsLevel(ns, n int) string {
	c := (ns*4*labelsPerNS + n) % 1024
	return fmt.Sprintf("s0:c%d,c%d", c/32, 32+c%32*31%992)
}

const suffixChars = "bcdfghjklmnpqrstvwxz2456789"

func (g *generator) suffix(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = suffixChars[g.rng.IntN(len(suffixChars))]
	}
	return string(b)
}

func namespaceName(i int) string { return fmt.Sprintf("team-%04d", i) }

func claimName(grp int) string { return fmt.Sprintf("shared-%05d", grp) }

func volumeName(uid string) string { return "pvc-" + uid }
