package main

import (
	"fmt"
	"strings"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/controller"
)

// pairConflict is what the controller says about one unordered pair of pods on one volume: the
// directed records of both properties folded together.
type pairConflict struct {
	volume string
	a, b   policies.ConflictSide
	// policy and label hold [a's value, b's value] when that property conflicts.
	policy, label *[2]string
}

// pairConflicts folds the directed conflict records into pairs, in first-seen order.
func pairConflicts(records []policies.ConflictRecord) []*pairConflict {
	var out []*pairConflict
	index := map[string]*pairConflict{}
	for _, c := range records {
		a, b := c.Pod, c.OtherPod
		if sideKey(b) < sideKey(a) {
			a, b = b, a
		}
		key := c.Volume + "\x00" + sideKey(a) + "\x00" + sideKey(b)
		p := index[key]
		if p == nil {
			p = &pairConflict{volume: c.Volume, a: withoutValue(a), b: withoutValue(b)}
			index[key] = p
			out = append(out, p)
		}
		vals := [2]string{c.Pod.Value, c.OtherPod.Value}
		if sideKey(c.Pod) != sideKey(a) {
			vals = [2]string{c.OtherPod.Value, c.Pod.Value}
		}
		if c.Property == controller.PropertyChangePolicy {
			p.policy = &vals
		} else {
			p.label = &vals
		}
	}
	return out
}

func sideKey(s policies.ConflictSide) string { return s.Namespace + "/" + s.Name }

// withoutValue drops the value, which differs per property, from a pair member.
func withoutValue(s policies.ConflictSide) policies.ConflictSide {
	s.Value = ""
	return s
}

// optOutLookup reads a namespace's opt-out label: its value and whether it is set.
type optOutLookup func(namespace string) (value string, set bool)

// anotherPod is the controller's censored wording for a pod of another namespace: nothing a user of
// one namespace reads may name a pod of another (only JSON otherPod and the metric do).
const anotherPod = "a pod in another namespace"

// suggestions are the fix lines for a pair. Within a namespace one line names both pods; across
// namespaces each pod gets its own line that names only itself, as upstream's events do.
func (p *pairConflict) suggestions(optOut optOutLookup) []string {
	if p.a.Namespace == p.b.Namespace {
		return []string{p.suggestion(optOut)}
	}
	return []string{p.censoredSuggestion(0, optOut), p.censoredSuggestion(1, optOut)}
}

// censoredSuggestion is the fix for side i of a cross-namespace pair, without the other side's name,
// namespace or value.
func (p *pairConflict) censoredSuggestion(i int, optOut optOutLookup) string {
	own := p.a
	if i == 1 {
		own = p.b
	}
	if p.policy != nil {
		if p.policy[i] == "Recursive" {
			return fmt.Sprintf("for %s: it relabels recursively while %s mounts the volume with -o context; give it the same seLinuxOptions as that pod, or let that pod's namespace opt out", sideKey(own), anotherPod)
		}
		return fmt.Sprintf("for %s: %s (or set seLinuxChangePolicy: Recursive on %s), because %s uses the volume with Recursive", sideKey(own), optOutClause([]string{own.Namespace}, optOut), sideKey(own), anotherPod)
	}
	level := "no level"
	if p.label != nil {
		level = quoteLevel(p.label[i])
	}
	return fmt.Sprintf("for %s: %s, or align its seLinuxOptions.level (%s) with %s that uses the volume", sideKey(own), optOutClause([]string{own.Namespace}, optOut), level, anotherPod)
}

// suggestion is one line a user can act on, for a pair within one namespace. Both ways out are named, because which one is right
// depends on whether the pods are meant to share files: opting out keeps today's recursive
// relabeling, aligning the level lets both mount with one -o context.
func (p *pairConflict) suggestion(optOut optOutLookup) string {
	if p.policy != nil {
		mount, rec := p.a, p.b
		mountIdx := 0
		if p.policy[0] == "Recursive" {
			mount, rec, mountIdx = p.b, p.a, 1
		}
		align := fmt.Sprintf("give %s the same seLinuxOptions as %s", sideKey(rec), sideKey(mount))
		if p.label != nil {
			if level := labelLevel(p.label[mountIdx]); level != "" {
				align = fmt.Sprintf("give %s seLinuxOptions.level %q like %s", sideKey(rec), level, sideKey(mount))
			}
		}
		return fmt.Sprintf("%s (or set seLinuxChangePolicy: Recursive on %s), or %s",
			optOutClause([]string{mount.Namespace}, optOut), sideKey(mount), align)
	}
	levels := ""
	if p.label != nil {
		levels = fmt.Sprintf(" (%s vs %s)", quoteLevel(p.label[0]), quoteLevel(p.label[1]))
	}
	nss := []string{p.a.Namespace}
	if p.b.Namespace != p.a.Namespace {
		nss = append(nss, p.b.Namespace)
	}
	return fmt.Sprintf("%s, or align seLinuxOptions.level of %s and %s%s", optOutClause(nss, optOut), sideKey(p.a), sideKey(p.b), levels)
}

// optOutClause says how to opt the namespaces out from where each stands: a namespace that already
// carries the label needs its Pods recreated, because the opt-out acts only at CREATE.
func optOutClause(namespaces []string, optOut optOutLookup) string {
	var unlabelled, clauses []string
	for _, ns := range namespaces {
		value, set := optOut(ns)
		switch {
		case !set:
			unlabelled = append(unlabelled, ns)
		case value == "Recursive":
			clauses = append(clauses, fmt.Sprintf("namespace %s already opts out: recreate its Pods (roll out their workloads) so that admission sets seLinuxChangePolicy: Recursive", ns))
		default:
			clauses = append(clauses, fmt.Sprintf("change namespace %s's label %s=%q to Recursive to opt out", ns, policies.OptOutLabel, value))
		}
	}
	if len(unlabelled) > 0 {
		noun := "namespace"
		if len(unlabelled) > 1 {
			noun = "namespaces"
		}
		clauses = append([]string{fmt.Sprintf("label %s %s with %s=Recursive to opt out", noun, strings.Join(unlabelled, " and "), policies.OptOutLabel)}, clauses...)
	}
	return strings.Join(clauses, "; ")
}

// labelLevel is the level part of a controller label "user:role:type:level"; the level may hold
// colons itself.
func labelLevel(label string) string {
	parts := strings.SplitN(label, ":", 4)
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}

func quoteLevel(label string) string {
	if l := labelLevel(label); l != "" {
		return fmt.Sprintf("%q", l)
	}
	return "no level"
}
