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
	// Why says what goes wrong on 1.37; Upstream names the Kubernetes behaviour the rule mirrors.
	Why      string `json:"why"`
	Upstream string `json:"upstream"`
	// Violating and Fixed name scenarios of harness/scenarios that show the rule firing and not.
	Violating string `json:"violating"`
	Fixed     string `json:"fixed"`
}

// Catalogue lists every rule in ID order.
func Catalogue() []Rule {
	return []Rule{
		{ID: RuleLabelConflict, Title: "Volume SELinux label conflict", Severity: SeverityWarning,
			Description: "Two Pods use one volume with SELinux labels the selinux-warning-controller reports as conflicting (SELinuxLabel). With SELinuxMount on, the volume is mounted with one label and only one of them may access it on a node.",
			Why:         "With SELinuxMount (on by default in 1.37) a shared volume is mounted once with -o context of the first Pod's label; a second Pod with another label cannot use it on that node.",
			Upstream:    "kube-controller-manager selinux-warning-controller: SELinuxLabelConflict events (censored across namespaces) and the selinux_warning_controller_selinux_volume_conflict metric, with the newest label comparison (level always compared).",
			Violating:   "blog-privileged-and-unprivileged", Fixed: "optout-recursive-namespace-removes-conflict"},
		{ID: RulePolicyConflict, Title: "Volume seLinuxChangePolicy conflict", Severity: SeverityWarning,
			Description: "Two Pods use one volume with different effective seLinuxChangePolicy values (SELinuxChangePolicy): one mounts with -o context, the other needs a recursive relabel.",
			Why:         "A Pod that needs a recursive relabel (Recursive, or no label) and one that mounts with context cannot share a volume on one node once SELinuxMount is on.",
			Upstream:    "selinux-warning-controller SELinuxChangePolicyConflict events and metric series; a Pod without a label, or on a volume whose driver cannot mount with context, counts as Recursive.",
			Violating:   "blog-privileged-and-unprivileged", Fixed: "optout-recursive-namespace-removes-conflict"},
		{ID: RuleMultipleLabels, Title: "Multiple SELinux labels in one Pod", Severity: SeverityError,
			Description: "Containers of one Pod mount one volume with different file labels. The kubelet refuses the Pod when the volume is eligible for the mount option, and counts a warning otherwise.",
			Why:         "The kubelet can mount a volume with one context only; when the volume is eligible for the mount option it refuses to start the Pod.",
			Upstream:    "kubelet GetMountSELinuxLabel (multiple SELinux labels found) and the volume_manager_selinux_pod_context_mismatch_{errors,warnings}_total metrics; the controller's MultipleSELinuxLabels event.",
			Violating:   "init-container-different-level-multiple-labels", Fixed: "one-labelled-one-unlabelled-container"},
		{ID: RuleOptOut, Title: "Namespace opt-out to Recursive relabeling", Severity: SeverityWarning, Mutation: true,
			Description: "On Pod CREATE in a namespace labelled selmount.io/change-policy=Recursive|MountOption, set spec.securityContext.seLinuxChangePolicy to that value when it is unset and the Pod is not a Windows Pod. Audit reports Pods in such namespaces that lack the value; a workload (whose template no bundle mutates) is read as the Pods its controller creates, which get it, so it is never reported.",
			Why:         "seLinuxChangePolicy: Recursive keeps the pre-1.37 recursive relabel for a Pod; setting it on every Pod of a namespace that shares volumes this way is the blog's suggested opt-out before upgrading.",
			Upstream:    "the Pod API field spec.securityContext.seLinuxChangePolicy (stable in 1.36) and the blog's advice to apply it with a MutatingAdmissionPolicy or a policy engine.",
			Violating:   "pod-created-before-namespace-optout-label", Fixed: "workload-optout-reapplied-on-update"},
		{ID: RuleMisuse, Title: "seLinuxChangePolicy misuse", Severity: SeverityError,
			Description: "A seLinuxChangePolicy the API server rejects (unknown value, set on a Windows Pod, MountOption while only Recursive is accepted), or an opt-out namespace label with an invalid value.",
			Why:         "The API server rejects these Pods (or the opt-out label does nothing), so the opt-out the owner meant never takes effect.",
			Upstream:    "API validation of seLinuxChangePolicy: allowed values, Forbidden on Windows Pods, only Recursive accepted while SELinuxMount is off.",
			Violating:   "unknown-change-policy-values", Fixed: "unset-vs-mountoption-same-level"},
		{ID: RuleWillBreak, Title: "Pod will be stuck in ContainerCreating", Severity: SeverityError,
			Description: "The kubelet refuses the later of two Pods on one volume because their mount labels differ and the volume is eligible for the mount option: the Pod stays in ContainerCreating until the other one is gone.",
			Why:         "This is the breakage itself: after the upgrade the later Pod stays in ContainerCreating with a FailedMount event until the other Pod is gone from the node.",
			Upstream:    "kubelet desired state of world: \"conflicting SELinux labels of volume\" and volume_manager_selinux_volume_context_mismatch_errors_total; only the first Pod's label on a node is compared.",
			Violating:   "nodes-latent-on-different-nodes-error-on-same-node", Fixed: "optout-recursive-namespace-removes-conflict"},
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
