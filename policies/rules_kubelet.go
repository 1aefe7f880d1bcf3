package policies

import (
	"fmt"
	"strings"

	"github.com/selmount/selmount/policies/kubelet"
	"github.com/selmount/selmount/policies/selinux"
)

// multipleLabelFindings are SELINUX-003: an error when the kubelet refuses the pod, a warning when it
// only counts the mismatch.
func multipleLabelFindings(multiple []kubelet.MultipleLabels) []Finding {
	var out []Finding
	for _, m := range multiple {
		sev, outcome := SeverityWarning, "the kubelet counts a warning and the runtime relabels recursively"
		if m.Error {
			sev, outcome = SeverityError, "the kubelet refuses to start the pod"
		}
		out = append(out, Finding{
			Rule: RuleMultipleLabels, Severity: sev, Pod: PodRef{Namespace: m.Pod.Namespace, Name: m.Pod.Name},
			Volume: volumeID(m.Volume, m.PodVolume), Values: m.Labels, Assumed: m.Volume.Assumed,
			Message: fmt.Sprintf("%s: containers of %s mount volume %q with different SELinux labels (%s); %s%s",
				RuleMultipleLabels, m.Pod.Name, m.PodVolume, strings.Join(quoteAll(m.Labels), ", "), outcome, randomLevelHint(m.Labels...)),
		})
	}
	return out
}

// willBreakFindings are SELINUX-006: the later pod of a pair the kubelet refuses.
func willBreakFindings(v *kubelet.View) []Finding {
	var out []Finding
	for _, r := range v.Refusals {
		other := PodRef{Namespace: r.Other.Namespace, Name: r.Other.Name}
		who := "pod " + r.Other.Name
		if r.Other.Namespace != r.Pod.Namespace {
			who = "a pod in another namespace"
		}
		sev, when := SeverityError, "stays in ContainerCreating on a node where "+who+" already uses the volume"
		if r.Latent {
			sev, when = SeverityWarning, "would stay in ContainerCreating if scheduled to the node of "+who+" (different nodes today)"
		}
		out = append(out, Finding{
			Rule: RuleWillBreak, Severity: sev, Pod: PodRef{Namespace: r.Pod.Namespace, Name: r.Pod.Name}, OtherPod: &other,
			Volume: r.Volume.Key, Values: []string{r.PodLabel, r.OtherLabel}, Latent: r.Latent, Assumed: r.Volume.Assumed,
			Message: fmt.Sprintf("%s: %s %s: %s%s", RuleWillBreak, r.Pod.Name, when, r.Message, randomLevelHint(r.PodLabel, r.OtherLabel)),
		})
	}
	return out
}

// randomLevelHint explains a label the kubelet gave a random level, which users rarely expect.
func randomLevelHint(labels ...string) string {
	for _, l := range labels {
		if selinux.HasRandomLevel(l) {
			return "; seLinuxOptions that set a user, role or type but no level get a random level for each container and mount, so they match no other label: set seLinuxOptions.level"
		}
	}
	return ""
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
