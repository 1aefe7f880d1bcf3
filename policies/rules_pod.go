package policies

import (
	"fmt"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// podFindings are the per-pod rules: SELINUX-004 (audit side of the opt-out) and SELINUX-005.
// oldHasPolicy is true on an UPDATE whose old object already set a policy.
func podFindings(profile gates.Profile, scope OptOutScope, s *cluster.State, p *cluster.Pod, oldHasPolicy bool) []Finding {
	ref := PodRef{Namespace: p.Namespace, Name: p.Name}
	misuse := func(sev, value, msg string) Finding {
		return Finding{Rule: RuleMisuse, Severity: sev, Pod: ref, Property: "seLinuxChangePolicy", Values: []string{value},
			Message: RuleMisuse + ": " + msg}
	}
	var out []Finding
	if why := rejection(profile, p, oldHasPolicy); why != "" {
		out = append(out, misuse(SeverityError, string(*p.ChangePolicy()), why))
	}
	label, present := namespaceLabel(s, p.Namespace)
	if p.ChangePolicy() == nil && !p.Windows() {
		if present && !ValidChangePolicy(label) {
			out = append(out, Finding{Rule: RuleMisuse, Severity: SeverityWarning, Pod: ref, Property: OptOutLabel, Values: []string{label},
				Message: fmt.Sprintf("%s: namespace %s has %s=%q, which is neither Recursive nor MountOption; the label is ignored for %s", RuleMisuse, p.Namespace, OptOutLabel, label, p.Name)})
		}
		// Only a Pod gets here: a workload is read as the Pods its controller creates (asCreated),
		// which the opt-out gives the value.
		if value := scope.Value(s, p.Namespace); value != "" {
			out = append(out, Finding{Rule: RuleOptOut, Severity: SeverityWarning, Pod: ref, Property: "seLinuxChangePolicy", Values: []string{value},
				Message: fmt.Sprintf("%s: namespace %s is opted out (%s), but %s has no spec.securityContext.seLinuxChangePolicy; the opt-out sets it only when the pod is created: recreate it", RuleOptOut, p.Namespace, value, p.Name)})
		}
	}
	return out
}

// rejection says why the API server refuses the pod's seLinuxChangePolicy, "" when it accepts it. A
// refused Pod is never stored: no controller and no kubelet ever sees it.
func rejection(profile gates.Profile, p *cluster.Pod, oldHasPolicy bool) string {
	cp := p.ChangePolicy()
	if cp == nil || !profile.CP {
		// Without the ChangePolicy gate the API server drops the field before validating it.
		return ""
	}
	v := string(*cp)
	switch {
	case p.Windows():
		return fmt.Sprintf("%s is a Windows pod; spec.securityContext.seLinuxChangePolicy cannot be set for a windows pod", p.Name)
	case !ValidChangePolicy(v):
		return fmt.Sprintf("%s sets spec.securityContext.seLinuxChangePolicy %q; the API server accepts only Recursive or MountOption", p.Name, v)
	case v == "MountOption" && profile.AcceptsOnlyRecursive(oldHasPolicy):
		return fmt.Sprintf("%s sets seLinuxChangePolicy MountOption, which the API server rejects while SELinuxMount is off (profile %s); use Recursive or leave it unset", p.Name, profile.Name)
	}
	return ""
}
