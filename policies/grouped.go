package policies

import (
	"cmp"
	"slices"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/controller"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/kubelet"
)

// ConflictGroup is the findings of one pair rule (SELINUX-001, 002 or 006) on one volume for the Pods
// of one namespace that share a value, against the classes of Pods they meet: where Audit lists one
// finding per pair, a group stands for all of them, so a report grows with Pods and classes, not
// with pairs. Its JSON names are the scan contract's grouped form.
type ConflictGroup struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Volume    string `json:"volume"`
	Property  string `json:"property,omitempty"`
	Namespace string `json:"namespace"`
	// Value is the Pods' label or policy (SELINUX-001, 002) or mount label (SELINUX-006).
	Value string `json:"value"`
	// Pods are the group's Pods by name, sorted: all of the class for the controller's rules, the
	// refused ones for SELINUX-006.
	Pods   []string     `json:"pods"`
	Others []GroupOther `json:"others"`
	// Pairs is how many findings of Audit the group stands for on this volume.
	Pairs   int64  `json:"pairs"`
	Latent  bool   `json:"latent,omitempty"`
	Assumed bool   `json:"assumed,omitempty"`
	Message string `json:"message"`
}

// GroupOther is one class of the Pods a group meets: its namespace and value, how many Pods it holds
// (the controller's rules; the kubelet's refusals are counted as pairs only), and the pairs.
type GroupOther struct {
	Namespace string `json:"namespace"`
	Value     string `json:"value"`
	Pods      int    `json:"pods,omitempty"`
	Pairs     int64  `json:"pairs"`
	// names are a few of the class's Pods, for the message when they share the group's namespace.
	names []string
}

// GroupedReport is Audit's report with the pair rules grouped. Findings hold the rules about one Pod
// (SELINUX-003, 004, 005) exactly as Audit has them.
type GroupedReport struct {
	Profile     string               `json:"profile"`
	Groups      []ConflictGroup      `json:"groups"`
	Findings    []Finding            `json:"findings"`
	Diagnostics []cluster.Diagnostic `json:"diagnostics"`
	// Classes are the controller's, for listing its directed conflicts one by one (the metric).
	Classes []controller.Class `json:"-"`
}

// AuditGrouped evaluates every rule over a whole state as Audit does, in time and memory linear in
// Pods (times the label classes on a volume) rather than in pairs of Pods.
func AuditGrouped(profile gates.Profile, s *cluster.State) GroupedReport {
	rep := GroupedReport{Profile: profile.Name, Groups: []ConflictGroup{}, Findings: []Finding{}}
	resolved, assumed, diags := resolveAll(s, OptOutScope{}, nil)
	rep.Diagnostics = append([]cluster.Diagnostic{}, diags...)
	stored := storedPods(profile, resolved, nil, false)
	// The controller's and the kubelet's views only read the stored Pods, and each was about a
	// sixth of a large scan's time: they run side by side.
	classes := inParallel(func() []controller.Class { return controller.Classes(profile, stored) })
	kv := kubelet.RunGrouped(profile, stored)
	// The controller's view takes longer: the kubelet's groups and the Pods' own findings are
	// built while it runs.
	refusals := refusalGroups(kv.Refusals)
	rep.Findings = append(rep.Findings, multipleLabelFindings(kv.Multiple)...)
	for _, p := range resolved {
		if !p.Terminal() {
			rep.Findings = append(rep.Findings, podFindings(profile, OptOutScope{}, s, p.Pod, false)...)
		}
	}
	rep.Findings = SortFindings(rep.Findings)
	rep.Classes = classes()
	rep.Groups = append(rep.Groups, controllerGroups(rep.Classes, assumed)...)
	rep.Groups = append(rep.Groups, refusals...)
	slices.SortFunc(rep.Groups, func(a, b ConflictGroup) int {
		return cmp.Or(cmp.Compare(a.Volume, b.Volume), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Property, b.Property),
			cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Value, b.Value), cmpBool(a.Latent, b.Latent))
	})
	return rep
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
