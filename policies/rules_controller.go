package policies

import "github.com/selmount/selmount/policies/controller"

// controllerFindings turns the warning controller's conflicts into SELINUX-001 (SELinuxLabel) and
// SELINUX-002 (SELinuxChangePolicy) findings, one per directed conflict; messages are the event text,
// which upstream censors across namespaces.
func controllerFindings(v *controller.View, conflicts []controller.Conflict, assumed map[string]bool) []Finding {
	var out []Finding
	for _, c := range conflicts {
		rule := RuleLabelConflict
		if c.Property == controller.PropertyChangePolicy {
			rule = RulePolicyConflict
		}
		other := c.OtherPod
		volume := v.VolumeOf[c]
		out = append(out, Finding{
			Rule: rule, Severity: SeverityWarning, Pod: c.Pod, OtherPod: &other, Volume: volume,
			Property: c.Property, Values: []string{c.PodValue, c.OtherPodValue},
			Message: rule + ": " + controller.EventMessage(c), Assumed: assumed[volume],
		})
	}
	return out
}
