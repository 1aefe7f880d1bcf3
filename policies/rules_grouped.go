package policies

import (
	"fmt"
	"slices"
	"strings"

	"github.com/selmount/selmount/policies/controller"
	"github.com/selmount/selmount/policies/kubelet"
)

// namesShown is how many Pods a group message names; the group's JSON lists every one of its own.
const namesShown = 3

// controllerGroups folds the controller's class pairs into SELINUX-001 and 002 groups: per volume,
// one group per rule, namespace and value, against every class it conflicts with.
func controllerGroups(classes []controller.Class, assumed map[string]bool) []ConflictGroup {
	var out []ConflictGroup
	for _, vol := range controller.PerVolume(classes) {
		b := &groupBuilder{groups: map[groupID]*ConflictGroup{}, counted: map[string]bool{}}
		for i := range vol {
			for j := range vol {
				if i == j {
					continue
				}
				policy, label := controller.ClassConflicts(&vol[i], &vol[j])
				if policy {
					b.note(RulePolicyConflict, controller.PropertyChangePolicy, i, vol[i].Policy, j, &vol[j], vol[j].Policy, vol)
				}
				if label {
					b.note(RuleLabelConflict, controller.PropertyLabel, i, vol[i].Label, j, &vol[j], vol[j].Label, vol)
				}
			}
		}
		for _, id := range b.order {
			g := b.groups[id]
			slices.Sort(g.Pods)
			g.Assumed = assumed[g.Volume]
			g.Message = g.Rule + ": " + controllerGroupMessage(g)
			out = append(out, *g)
		}
	}
	return out
}

type groupID struct{ rule, namespace, value string }

type groupBuilder struct {
	groups map[groupID]*ConflictGroup
	order  []groupID
	// counted remembers which class already added its Pods to a group or to one of its others.
	counted map[string]bool
}

func (b *groupBuilder) note(rule, property string, i int, value string, j int, other *controller.Class, otherValue string, vol []controller.Class) {
	own := &vol[i]
	id := groupID{rule, own.Namespace, value}
	g := b.groups[id]
	if g == nil {
		g = &ConflictGroup{Rule: rule, Severity: SeverityWarning, Volume: own.Volume, Property: property, Namespace: own.Namespace, Value: value}
		b.groups[id] = g
		b.order = append(b.order, id)
	}
	if k := fmt.Sprint(id, "own", i); !b.counted[k] {
		b.counted[k] = true
		for _, p := range own.Pods {
			g.Pods = append(g.Pods, p.Name)
		}
	}
	var o *GroupOther
	for k := range g.Others {
		if g.Others[k].Namespace == other.Namespace && g.Others[k].Value == otherValue {
			o = &g.Others[k]
		}
	}
	if o == nil {
		g.Others = append(g.Others, GroupOther{Namespace: other.Namespace, Value: otherValue})
		o = &g.Others[len(g.Others)-1]
	}
	if k := fmt.Sprint(id, "other", j); !b.counted[k] {
		b.counted[k] = true
		o.Pods += len(other.Pods)
		for _, p := range other.Pods {
			if len(o.names) == namesShown {
				break
			}
			o.names = append(o.names, p.Name)
		}
	}
	pairs := int64(len(own.Pods)) * int64(len(other.Pods))
	o.Pairs += pairs
	g.Pairs += pairs
}

// controllerGroupMessage reads like the controller's events: Pods of the group's namespace are named
// with their value, those of other namespaces only counted, values hidden.
func controllerGroupMessage(g *ConflictGroup) string {
	var here []string
	elsewhere, namespaces := 0, map[string]bool{}
	for _, o := range g.Others {
		if o.Namespace == g.Namespace {
			here = append(here, fmt.Sprintf("%s with %s %q", podsPhrase(o.names, o.Pods), g.Property, o.Value))
			continue
		}
		elsewhere += o.Pods
		namespaces[o.Namespace] = true
	}
	if elsewhere > 0 {
		where := "another namespace"
		if len(namespaces) > 1 {
			where = fmt.Sprintf("%d other namespaces", len(namespaces))
		}
		here = append(here, fmt.Sprintf("%s in %s with a different %s", countPods(elsewhere), where, g.Property))
	}
	return fmt.Sprintf("%s %q of %s conflicts with %s, on the same volume. If two of them land on the same node, only one of them may access the volume.",
		g.Property, g.Value, podsPhrase(g.Pods, len(g.Pods)), strings.Join(here, "; "))
}

// refusalGroups are SELINUX-006 groups: errors where the refused Pods meet the earlier ones on a node
// today, warnings where they are on different nodes.
func refusalGroups(groups []kubelet.RefusalGroup) []ConflictGroup {
	out := make([]ConflictGroup, 0, len(groups))
	for _, rg := range groups {
		g := ConflictGroup{Rule: RuleWillBreak, Severity: SeverityError, Volume: rg.Volume.Key, Namespace: rg.Namespace,
			Value: rg.Label, Pairs: rg.Pairs, Latent: rg.Latent, Assumed: rg.Volume.Assumed}
		if rg.Latent {
			g.Severity = SeverityWarning
		}
		for _, p := range rg.Pods {
			g.Pods = append(g.Pods, p.Name)
		}
		slices.Sort(g.Pods)
		labels := []string{rg.Label}
		for _, by := range rg.By {
			g.Others = append(g.Others, GroupOther{Namespace: by.Namespace, Value: by.Label, Pairs: by.Pairs})
			labels = append(labels, by.Label)
		}
		g.Message = RuleWillBreak + ": " + refusalGroupMessage(&g) + randomLevelHint(labels...)
		out = append(out, g)
	}
	return out
}

// refusalGroupMessage names the labels met, as the kubelet's error does, and counts the earlier Pods
// by namespace without naming any: which one holds the volume depends on the node.
func refusalGroupMessage(g *ConflictGroup) string {
	var here, elsewhere []string
	var elsewherePairs int64
	namespaces := map[string]bool{}
	for _, o := range g.Others {
		if o.Namespace == g.Namespace {
			here = append(here, fmt.Sprintf("%q (%s)", o.Value, plural(o.Pairs, "pair")))
			continue
		}
		if !slices.Contains(elsewhere, fmt.Sprintf("%q", o.Value)) {
			elsewhere = append(elsewhere, fmt.Sprintf("%q", o.Value))
		}
		elsewherePairs += o.Pairs
		namespaces[o.Namespace] = true
	}
	var met []string
	if len(here) > 0 {
		met = append(met, "in this namespace with "+strings.Join(here, ", "))
	}
	if len(elsewhere) > 0 {
		met = append(met, fmt.Sprintf("in %s with %s (%s)", plural(int64(len(namespaces)), "other namespace"), strings.Join(elsewhere, ", "), plural(elsewherePairs, "pair")))
	}
	stay := "stay"
	if len(g.Pods) == 1 {
		stay = "stays"
	}
	when := stay + " in ContainerCreating on a node where an earlier Pod already uses the volume with another label"
	if g.Latent {
		when = "would stay in ContainerCreating if scheduled to the node of an earlier Pod that uses the volume with another label (different nodes today)"
	}
	return fmt.Sprintf("%s with SELinux label %q %s: earlier Pods %s", podsPhrase(g.Pods, len(g.Pods)), g.Value, when, strings.Join(met, "; "))
}

// podsPhrase names one Pod, or counts several and names the first few.
func podsPhrase(names []string, total int) string {
	if total == 1 && len(names) == 1 {
		return "pod " + names[0]
	}
	shown := names[:min(len(names), namesShown)]
	list := strings.Join(shown, ", ")
	if total > len(shown) {
		list += fmt.Sprintf(" and %d more", total-len(shown))
	}
	return fmt.Sprintf("%s (%s)", countPods(total), list)
}

func countPods(n int) string {
	if n == 1 {
		return "1 Pod"
	}
	return fmt.Sprintf("%d Pods", n)
}

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
