package oracle

import (
	"strings"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
)

// Classes of differences between the model and upstream; divergences.yaml gives each its reason.
// The model bugs the oracle found (locked gates, options without a level, inline in-tree eligibility,
// volumeMode, claimRef uids, NFS names, a second pod volume in the kubelet, a pod volume compared
// again after the first one was refused, rejected Pods) are fixed:
// their classifiers are gone, so a regression is an unclassified difference and fails the test.
const (
	ClassTwiceCtrl = "volume-twice-in-pod-controller"
)

// facts is what a classifier may look at: the replayed cluster as the model decoded it.
type facts struct {
	r     *harness.Replay
	d     harness.Difference
	state *cluster.State
}

func newFacts(r *harness.Replay, d harness.Difference) *facts {
	s := cluster.NewState()
	for i := range r.Final {
		s.Apply(&r.Final[i])
	}
	return &facts{r: r, d: d, state: s}
}

// Classify names the class of a difference after checking, on the replayed cluster, that the
// condition behind the class really holds; "" when no class explains it.
func Classify(r *harness.Replay, d harness.Difference) string {
	f := newFacts(r, d)
	for _, c := range classifiers {
		if c.holds(f) {
			return c.class
		}
	}
	return ""
}

type classifier struct {
	class string
	holds func(*facts) bool
}

// classifiers are tried in order; the first whose condition holds names the class.
var classifiers = []classifier{
	// The controller stores one label per Pod and volume; of two pod volumes that are one volume, the
	// last one synced wins, in the iteration order of a Go map (a sets.Set). That volume need not be
	// the difference's: a conflict two volumes carry is reported once, on the first volume in sort
	// order, so when the label that wins on one volume equals the Pod's label on another, the
	// conflict moves between them from run to run.
	{ClassTwiceCtrl, func(f *facts) bool {
		return (f.d.Rule == "SELINUX-001" || f.d.Rule == "SELINUX-002") && f.twiceOnAnyVolume()
	}},
}

// twiceOnAnyVolume tells whether an involved pod has two pod volumes that resolve to one volume.
func (f *facts) twiceOnAnyVolume() bool {
	for _, p := range f.involved() {
		vols, _ := f.state.ResolvePod(p)
		seen := map[string]bool{}
		for _, v := range vols {
			if v.Key != "" && seen[v.Key] {
				return true
			}
			seen[v.Key] = true
		}
	}
	return false
}

// involved are the pods a difference names: its pod and any pod its finding texts name.
func (f *facts) involved() []*cluster.Pod {
	var out []*cluster.Pod
	for _, p := range f.state.Pods {
		if p.Key() == f.d.Pod || mentions(f.d, "vs "+p.Key()+" ") {
			out = append(out, p)
		}
	}
	return out
}

func mentions(d harness.Difference, s string) bool {
	return strings.Contains(d.Wanted, s) || strings.Contains(d.Got, s)
}
