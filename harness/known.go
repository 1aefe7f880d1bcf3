package harness

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// PodOnlyKnownClass names the divergence class a generated-cluster difference of a per-Pod CEL check
// (a ValidatingAdmissionPolicy, a Gatekeeper K8sNativeValidation) belongs to, after checking against
// the model's own state that the condition behind it really holds; "" when it is none. Both classes
// come from what such a check cannot see: claims and their volumes.
func PodOnlyKnownClass(r *Replay, d Difference) string {
	if d.Rule != policies.RuleMultipleLabels {
		return ""
	}
	state := cluster.NewState()
	for i := range r.Final {
		state.Apply(&r.Final[i])
	}
	pod := state.Pod(d.Pod)
	if pod == nil {
		return ""
	}
	vols, diags := state.ResolvePod(pod)
	switch {
	// Without SELinuxMount only a ReadWriteOncePod-only volume is eligible; a Pod does not show a
	// referenced claim's access modes, so the policy says warning where the model says error.
	case d.Wanted == policies.SeverityError && d.Got == policies.SeverityWarning && !r.Scenario.Profile.Mount:
		for name, v := range vols {
			if v.Key == d.Volume && claimVolume(pod, name) && len(v.AccessModes) == 1 && v.AccessModes[0] == corev1.ReadWriteOncePod {
				return "claim-access-modes"
			}
		}
	// In a dump, a claim that is unbound or bound to another's PV is unresolved: the model (like the
	// kubelet, which cannot start the Pod) says nothing, the policy still sees two labels.
	case d.Field == "finding" && d.Wanted == "(none)":
		if _, resolved := vols[d.Volume]; !resolved && claimVolume(pod, d.Volume) && len(diags) > 0 {
			return "unresolved-claim"
		}
	}
	return ""
}

func claimVolume(p *cluster.Pod, name string) bool {
	for _, v := range p.Spec.Volumes {
		if v.Name == name {
			return v.PersistentVolumeClaim != nil
		}
	}
	_, template := p.ClaimTemplates[name]
	return template
}
