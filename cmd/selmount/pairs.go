package main

import (
	"fmt"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/controller"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// defaultMaxPairs caps the directed conflicts a scan may report. The report holds one conflict per
// directed pair of Pods whose label or policy differ on a volume (several KB each with its findings
// and output), so 2,000 Pods on one volume in 20 namespaces need ~4 million and end in an
// out-of-memory crash, which a CI job cannot tell from bad input. One million is ~4 GB and a few
// minutes; --max-pairs moves the cap, 0 removes it.
const defaultMaxPairs = 1_000_000

// pairBudgetError is a state whose per-pair report would exceed --max-pairs.
type pairBudgetError struct {
	volume          string
	pods, classes   int
	pairs, maxPairs int64
}

func (e *pairBudgetError) Error() string {
	return fmt.Sprintf("the input makes about %d directed conflicts (volume %s alone: %d Pods in %d label and policy classes), more than --max-pairs %d; "+
		"the report has one conflict per pair and would exhaust memory: scan fewer namespaces at a time or raise --max-pairs",
		e.pairs, printable(e.volume), e.pods, e.classes, e.maxPairs)
}

// checkPairBudget counts, per volume, the directed pairs of Pods whose controller label or policy
// differ (n² − Σ nᵢ² over classes of equal label and policy), an upper bound of the controller's
// conflicts, in time linear in Pods, before the audit makes them one by one.
func checkPairBudget(profile gates.Profile, s *cluster.State, maxPairs int64) error {
	if maxPairs <= 0 || !profile.ControllerRuns() {
		return nil
	}
	type class struct{ label, policy string }
	classes := map[string]map[class]int64{}
	pods := map[string]int64{}
	for _, p := range s.Pods {
		if p.Terminal() {
			continue
		}
		vols, _ := s.ResolvePod(p)
		use := p.Model.Use()
		for _, name := range use.Mounts {
			vol, ok := vols[name]
			if !ok || vol.Key == "" || vol.PerPod {
				continue
			}
			labels := selinux.LabelSet(use.OptionsFor(name), selinux.ControllerLabel)
			label, policy := controller.MountLabelAndPolicy(profile, p, vol, labels)
			if classes[vol.Key] == nil {
				classes[vol.Key] = map[class]int64{}
			}
			classes[vol.Key][class{label, policy}]++
			pods[vol.Key]++
		}
	}
	var total int64
	worst, worstPairs := "", int64(-1)
	for vol, cs := range classes {
		n := pods[vol]
		pairs := n * n
		for _, c := range cs {
			pairs -= c * c
		}
		total += pairs
		if pairs > worstPairs || (pairs == worstPairs && vol < worst) {
			worst, worstPairs = vol, pairs
		}
	}
	if total > maxPairs {
		return &pairBudgetError{volume: worst, pods: int(pods[worst]), classes: len(classes[worst]), pairs: total, maxPairs: maxPairs}
	}
	return nil
}
