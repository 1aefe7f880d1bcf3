package gatekeeper

import (
	"strings"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/internal/gatekeepergen"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// KnownClass names the divergence class a generated-cluster difference belongs to, after checking
// against the model's state that its cause holds; "" when it is none.
//   - windows-unlabelled: the Assign mutators cannot see spec.os.name (divergences.yaml says why), so
//     a Windows Pod without the selmount.io/os=windows label gets the namespace's value; SELINUX-005
//     then says the API server would refuse it, and its conflicts are those of a Recursive Pod.
//   - the per-Pod CEL classes (harness.PodOnlyKnownClass) when Gatekeeper runs the CEL of SELINUX-003.
func (e *Engine) KnownClass(r *harness.Replay, d harness.Difference) string {
	state := cluster.NewState()
	for i := range r.Final {
		state.Apply(&r.Final[i])
	}
	pod := state.Pod(d.Pod)
	if pod == nil {
		return ""
	}
	// The Windows Pods the mutators changed (the model leaves them alone), and what follows from it:
	// the Pod's own policy findings, and conflicts of any Pod with it.
	for _, w := range mutatedWindowsPods(r, state) {
		if d.Pod == w || strings.Contains(d.Wanted+" "+d.Got, " vs "+w+" ") {
			return "windows-unlabelled"
		}
	}
	if e.name == Name && d.Rule == policies.RuleMultipleLabels {
		return harness.PodOnlyKnownClass(r, d)
	}
	return ""
}

func mutatedWindowsPods(r *harness.Replay, state *cluster.State) []string {
	var out []string
	for _, a := range r.Admits {
		p := state.Pod(a.Pod)
		if a.Got.Object != nil && !a.Model.Mutated && p != nil && p.Windows() && p.Labels[gatekeepergen.WindowsLabel] != "windows" {
			out = append(out, a.Pod)
		}
	}
	return out
}
