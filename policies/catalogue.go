// Package policies is selmount's rule catalogue and reference model: what upstream Kubernetes would do
// with SELinux volume labels, computed from objects. Every engine translation is checked against it.
package policies

// Severities, most serious first.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Rule IDs are stable: engines, docs and users' exceptions refer to them.
const (
	RuleLabelConflict  = "SELINUX-001"
	RulePolicyConflict = "SELINUX-002"
	RuleMultipleLabels = "SELINUX-003"
	RuleOptOut         = "SELINUX-004"
	RuleMisuse         = "SELINUX-005"
	RuleWillBreak      = "SELINUX-006"
)

// Rule describes one rule of the catalogue.
type Rule struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Severity    string `json:"severity"`
	Description string `json:"description"`
	// Mutation is true for the rule that changes Pods (the opt-out).
	Mutation bool `json:"mutation,omitempty"`
}

// Catalogue lists every rule in ID order.
func Catalogue() []Rule {
	return []Rule{
		{ID: RuleLabelConflict, Title: "Volume SELinux label conflict", Severity: SeverityWarning,
			Description: "Two Pods use one volume with SELinux labels the selinux-warning-controller reports as conflicting (SELinuxLabel). With SELinuxMount on, the volume is mounted with one label and only one of them may access it on a node."},
		{ID: RulePolicyConflict, Title: "Volume seLinuxChangePolicy conflict", Severity: SeverityWarning,
			Description: "Two Pods use one volume with different effective seLinuxChangePolicy values (SELinuxChangePolicy): one mounts with -o context, the other needs a recursive relabel."},
		{ID: RuleMultipleLabels, Title: "Multiple SELinux labels in one Pod", Severity: SeverityError,
			Description: "Containers of one Pod mount one volume with different file labels. The kubelet refuses the Pod when the volume is eligible for the mount option, and counts a warning otherwise."},
		{ID: RuleOptOut, Title: "Namespace opt-out to Recursive relabeling", Severity: SeverityWarning, Mutation: true,
			Description: "On Pod CREATE in a namespace labelled selmount.io/change-policy=Recursive|MountOption, set spec.securityContext.seLinuxChangePolicy to that value when it is unset and the Pod is not a Windows Pod. Audit reports Pods in such namespaces that lack the value."},
		{ID: RuleMisuse, Title: "seLinuxChangePolicy misuse", Severity: SeverityError,
			Description: "A seLinuxChangePolicy the API server rejects (unknown value, set on a Windows Pod, MountOption while only Recursive is accepted), or an opt-out namespace label with an invalid value."},
		{ID: RuleWillBreak, Title: "Pod will be stuck in ContainerCreating", Severity: SeverityError,
			Description: "The kubelet refuses the later of two Pods on one volume because their mount labels differ and the volume is eligible for the mount option: the Pod stays in ContainerCreating until the other one is gone."},
	}
}

// RuleByID finds a rule of the catalogue.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Catalogue() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
