package policies

import (
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
)

// OptOutLabel is the namespace label whose value SELINUX-004 copies into new Pods.
const OptOutLabel = "selmount.io/change-policy"

// ValidChangePolicy tells whether the API server accepts a seLinuxChangePolicy value at all.
func ValidChangePolicy(v string) bool {
	return v == string(corev1.SELinuxChangePolicyRecursive) || v == string(corev1.SELinuxChangePolicyMountOption)
}

// OptOutScope is which namespaces the installed opt-out covers. The zero value is the default bundle:
// namespaces that carry a valid opt-out label. ClusterWide is the cluster-wide variant: every namespace
// but the excluded ones, with its own valid label's value or Recursive.
type OptOutScope struct {
	ClusterWide bool
	Excluded    []string
}

// namespaceLabel reads the namespace's opt-out label: its value and whether it is present.
func namespaceLabel(s *cluster.State, namespace string) (value string, present bool) {
	if ns := s.Namespaces[namespace]; ns != nil {
		value, present = ns.Labels[OptOutLabel]
	}
	return value, present
}

// Value is the policy the opt-out sets in a namespace, "" when the namespace is not opted out.
func (sc OptOutScope) Value(s *cluster.State, namespace string) string {
	value, present := namespaceLabel(s, namespace)
	valid := present && ValidChangePolicy(value)
	if !sc.ClusterWide {
		if valid {
			return value
		}
		return ""
	}
	if slices.Contains(sc.Excluded, namespace) {
		return ""
	}
	if valid {
		return value
	}
	return string(corev1.SELinuxChangePolicyRecursive)
}

// OptOutValue is the policy SELINUX-004 would set on p, or "" when it leaves p alone: the namespace is
// opted out, the policy is unset, and p is not a Windows Pod.
func (sc OptOutScope) OptOutValue(s *cluster.State, p *cluster.Pod) string {
	if p.ChangePolicy() != nil || p.Windows() {
		return ""
	}
	return sc.Value(s, p.Namespace)
}

// withChangePolicy returns a copy of p whose spec carries the policy, every other field kept. A Pod
// of a scanned cluster has only its Model (State.DropSpecs); the policy goes into both.
func withChangePolicy(p *cluster.Pod, value string) *cluster.Pod {
	policy := corev1.PodSELinuxChangePolicy(value)
	out := *p
	model := *p.Model
	model.ChangePolicy = &policy
	out.Model = &model
	if p.Spec != nil {
		spec := p.Spec.DeepCopy()
		if spec.SecurityContext == nil {
			spec.SecurityContext = &corev1.PodSecurityContext{}
		}
		spec.SecurityContext.SELinuxChangePolicy = &policy
		out.Spec = spec
	}
	return &out
}

// asCreated is a stored Pod or workload as the model reads it in a state: a workload as the Pods its
// controller creates. No bundle mutates workloads (the opt-out matches Pods, at their CREATE), so a
// cluster stores, and a manifest holds, a workload's template without the policy the opt-out gives
// each of its Pods; the workload stands for those Pods, so it is read with the policy they get (and
// Admit holds it so). A Pod is read as it is: one stored without the policy in an opted-out namespace
// is what SELINUX-004 reports.
func (sc OptOutScope) asCreated(s *cluster.State, p *cluster.Pod) *cluster.Pod {
	if p.Kind == "Pod" {
		return p
	}
	if v := sc.OptOutValue(s, p); v != "" {
		return withChangePolicy(p, v)
	}
	return p
}

// mutates tells whether an admission runs the opt-out: a Pod only on CREATE; a workload on every
// admission, because each rollout creates its Pods anew and they are mutated then.
func mutates(p *cluster.Pod, operation string) bool {
	return operation == OperationCreate || p.Kind != "Pod"
}

// Mutation is the policy the opt-out sets on p when it is admitted with operation ("" when it leaves
// p alone), as Admit applies it; an admission webhook answers the mutation with it alone.
func (sc OptOutScope) Mutation(s *cluster.State, p *cluster.Pod, operation string) string {
	if !mutates(p, operation) {
		return ""
	}
	return sc.OptOutValue(s, p)
}
