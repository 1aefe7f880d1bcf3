package harness

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/controller"
	"github.com/selmount/selmount/policies/gates"
)

// pairTally is what a report says per pair rule, in a form both reports can be reduced to: the
// controller's directed conflicts (with the volume Audit names), and per SELINUX-006 group its Pods
// and pairs per earlier class.
type pairTally struct {
	conflicts map[string]bool
	refusals  map[string]int64
}

func tallyAudit(rep policies.Report) pairTally {
	t := pairTally{conflicts: map[string]bool{}, refusals: map[string]int64{}}
	for _, c := range rep.Conflicts {
		t.conflicts[fmt.Sprint(c.Volume, c.Property, c.Pod, c.OtherPod)] = true
	}
	for _, f := range rep.Findings {
		if f.Rule != policies.RuleWillBreak {
			continue
		}
		g := fmt.Sprint(f.Volume, "|", f.Pod.Namespace, "|", f.Values[0], "|", f.Latent, "|", f.Assumed)
		t.refusals[g+"|pod "+f.Pod.Name] = 1
		t.refusals[g+"|by "+f.OtherPod.Namespace+" "+f.Values[1]]++
	}
	return t
}

// tallyGrouped lists the controller's conflicts from the classes, keeping, as the controller's cache
// does, one volume (the first in order) for a conflict two volumes carry.
func tallyGrouped(t *testing.T, rep policies.GroupedReport) pairTally {
	out := pairTally{conflicts: map[string]bool{}, refusals: map[string]int64{}}
	volumeOf := map[controller.Conflict]string{}
	controller.EachConflict(rep.Classes, func(volume string, c controller.Conflict) bool {
		if old, ok := volumeOf[c]; !ok || volume < old {
			volumeOf[c] = volume
		}
		return true
	})
	for c, volume := range volumeOf {
		side := func(r controller.PodRef, v string) policies.ConflictSide {
			return policies.ConflictSide{Namespace: r.Namespace, Name: r.Name, Value: v}
		}
		out.conflicts[fmt.Sprint(volume, c.Property, side(c.Pod, c.PodValue), side(c.OtherPod, c.OtherPodValue))] = true
	}
	for _, g := range rep.Groups {
		var sum int64
		for _, o := range g.Others {
			sum += o.Pairs
		}
		require.Equal(t, g.Pairs, sum, "a group's pairs are its others' pairs: %+v", g)
		require.NotEmpty(t, g.Pods)
		if g.Rule != policies.RuleWillBreak {
			continue
		}
		k := fmt.Sprint(g.Volume, "|", g.Namespace, "|", g.Value, "|", g.Latent, "|", g.Assumed)
		for _, p := range g.Pods {
			out.refusals[k+"|pod "+p] = 1
		}
		for _, o := range g.Others {
			out.refusals[k+"|by "+o.Namespace+" "+o.Value] = o.Pairs
		}
	}
	return out
}

// checkGrouped compares the grouped report of a state with Audit's: the same pairs, the same per-pod
// findings and diagnostics, and group messages that name no Pod of another namespace.
func checkGrouped(t *testing.T, name string, profile gates.Profile, s *cluster.State) {
	t.Helper()
	rep := policies.Audit(profile, s)
	grouped := policies.AuditGrouped(profile, s)
	require.Equal(t, tallyAudit(rep), tallyGrouped(t, grouped), "%s: the grouped report stands for the same pairs", name)
	var single []policies.Finding
	for _, f := range rep.Findings {
		if f.Rule != policies.RuleLabelConflict && f.Rule != policies.RulePolicyConflict && f.Rule != policies.RuleWillBreak {
			single = append(single, f)
		}
	}
	require.Equal(t, len(single), len(grouped.Findings), name)
	if len(single) > 0 {
		require.Equal(t, single, grouped.Findings, name)
	}
	require.Equal(t, rep.Diagnostics, grouped.Diagnostics, name)
	for _, g := range grouped.Groups {
		require.Contains(t, g.Message, g.Rule+": ")
		for _, o := range g.Others {
			if o.Namespace == g.Namespace {
				continue
			}
			for _, other := range s.Pods {
				if other.Namespace == o.Namespace && other.Namespace != g.Namespace {
					for _, form := range []string{"pod " + other.Name + " ", "(" + other.Name + ",", "(" + other.Name + ")", " " + other.Name + ",", " " + other.Name + " and"} {
						require.NotContains(t, g.Message, form, "%s: a group message names a Pod of another namespace", name)
					}
				}
			}
		}
	}
}

func TestGroupedReportStandsForTheSamePairs(t *testing.T) {
	scs, err := LoadScenarios(scenarioRoot)
	require.NoError(t, err)
	groups := 0
	for _, sc := range scs {
		s := stateOf(sc.Objects)
		checkGrouped(t, sc.Name, sc.Profile, s)
		groups += len(policies.AuditGrouped(sc.Profile, s).Groups)
	}
	require.Positive(t, groups)
	for _, sc := range Regressions() {
		checkGrouped(t, sc.Name, sc.Profile, stateOf(sc.Objects))
	}
	for seed := uint64(0); seed < generatedClusters; seed++ {
		sc := Generate(seed, GenOptions{MaxPods: 20})
		checkGrouped(t, sc.Name, sc.Profile, stateOf(sc.Objects))
	}
	for seed := uint64(0); seed < 40; seed++ {
		sc := Generate(seed, GenOptions{MaxPods: 120})
		checkGrouped(t, sc.Name, sc.Profile, stateOf(sc.Objects))
	}
}
