package gatekeeper

import (
	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/internal/gatekeepergen"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// KnownClass names the divergence class a generated-cluster difference belongs to, after checking
// against the model's state that its cause holds; "" when it is none.
//   - windows-unlabelled: the Assign mutators cannot see spec.os.name (divergences.yaml says why), so
//     a Windows Pod without the selmount.io/os=windows label gets the namespace's value, and then
//     SELINUX-005 says the API server would refuse it.
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
	optOutGap := (d.Rule == policies.RuleOptOut && d.Field == "seLinuxChangePolicy") ||
		(d.Rule == policies.RuleMisuse && d.Field == "finding" && d.Wanted == "(none)")
	if optOutGap && pod.Windows() && pod.Labels[gatekeepergen.WindowsLabel] != "windows" {
		return "windows-unlabelled"
	}
	if e.name == Name && d.Rule == policies.RuleMultipleLabels {
		return harness.PodOnlyKnownClass(r, d)
	}
	return ""
}
