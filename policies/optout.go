package policies

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
)

// OptOutLabel is the namespace label whose value SELINUX-004 copies into new Pods.
const OptOutLabel = "selmount.io/change-policy"

// ValidChangePolicy tells whether the API server accepts a seLinuxChangePolicy value at all.
func ValidChangePolicy(v string) bool {
	return v == string(corev1.SELinuxChangePolicyRecursive) || v == string(corev1.SELinuxChangePolicyMountOption)
}

// namespaceOptOut reads the namespace's opt-out label: the value, whether the label is present, and
// whether the value is one the mutation may set.
func namespaceOptOut(s *cluster.State, namespace string) (value string, present, valid bool) {
	ns := s.Namespaces[namespace]
	if ns == nil {
		return "", false, false
	}
	value, present = ns.Labels[OptOutLabel]
	return value, present, present && ValidChangePolicy(value)
}

// OptOutValue is the policy SELINUX-004 would set on p, or "" when it leaves p alone: the namespace
// carries a valid opt-out label, the policy is unset, and p is not a Windows Pod.
func OptOutValue(s *cluster.State, p *cluster.Pod) string {
	value, _, valid := namespaceOptOut(s, p.Namespace)
	if !valid || p.ChangePolicy() != nil || p.Windows() {
		return ""
	}
	return value
}

// withChangePolicy returns a copy of p whose spec carries the policy, every other field kept.
func withChangePolicy(p *cluster.Pod, value string) *cluster.Pod {
	out := *p
	spec := p.Spec.DeepCopy()
	if spec.SecurityContext == nil {
		spec.SecurityContext = &corev1.PodSecurityContext{}
	}
	policy := corev1.PodSELinuxChangePolicy(value)
	spec.SecurityContext.SELinuxChangePolicy = &policy
	out.Spec = spec
	return &out
}

// mutates tells whether an admission runs the opt-out: a Pod only on CREATE; a workload on every
// admission, because each rollout creates its Pods anew and they are mutated then.
func mutates(p *cluster.Pod, operation string) bool {
	return operation == OperationCreate || p.Kind != "Pod"
}
