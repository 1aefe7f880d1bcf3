package oracle

import (
	"context"
	"strings"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Result is everything upstream's components said about one cluster.
type Result struct {
	Findings   []policies.Finding
	Controller ControllerResult
	Kubelet    KubeletResult
	World      *World
}

// Replay runs the controller, the kubelets and API validation over a cluster state under the
// profile's gates, and expresses what they did as selmount findings. old, when set, is the stored
// version of the Pod being updated (for the API server's update validation of that Pod).
func Replay(ctx context.Context, profile gates.Profile, s *cluster.State, old *cluster.Pod) (Result, error) {
	var res Result
	err := withProfile(profile, func() error {
		ctx := quiet(ctx)
		// The API server first: a Pod it rejects never reaches the controller or a kubelet, and a
		// field it drops is not there for them.
		admitted := cluster.NewState()
		admitted.PVCs, admitted.PVs, admitted.CSIDrivers, admitted.StorageClasses, admitted.Namespaces = s.PVCs, s.PVs, s.CSIDrivers, s.StorageClasses, s.Namespaces
		for _, p := range s.Pods {
			var oldPod *v1.Pod
			if old != nil && old.Key() == p.Key() {
				oldPod = plainPod(old)
			}
			verdict, err := ValidateChangePolicy(plainPod(p), oldPod)
			if err != nil {
				return err
			}
			if !p.Terminal() {
				res.Findings = append(res.Findings, policyFindings(p, verdict)...)
			}
			switch {
			case len(verdict.Errors) > 0:
				continue
			case verdict.Dropped:
				p = withoutChangePolicy(p)
			}
			admitted.PutPod(p)
		}
		w := NewWorld(admitted)
		res.World = w
		a, err := newAPI(ctx, w)
		if err != nil {
			return err
		}
		defer a.close()
		if res.Kubelet, err = RunKubelet(ctx, a, w); err != nil {
			return err
		}
		if res.Controller, err = RunController(ctx, a, w, profile.CP); err != nil {
			return err
		}
		res.Findings = append(res.Findings, controllerFindings(res.Controller)...)
		res.Findings = append(res.Findings, kubeletFindings(res.Kubelet)...)
		res.Findings = policies.SortFindings(res.Findings)
		return nil
	})
	return res, err
}

// withoutChangePolicy is the Pod with seLinuxChangePolicy dropped, as the API server stores it.
func withoutChangePolicy(p *cluster.Pod) *cluster.Pod {
	spec := p.Spec.DeepCopy()
	if spec.SecurityContext != nil {
		spec.SecurityContext.SELinuxChangePolicy = nil
	}
	return p.WithSpec(spec)
}

// plainPod is the Pod as its manifest has it (a workload's template), for API validation.
func plainPod(p *cluster.Pod) *v1.Pod {
	pod := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: p.Name}}
	if p.Spec != nil {
		pod.Spec = *p.Spec.DeepCopy()
	}
	return pod
}

func ref(key string) policies.PodRef {
	ns, name, _ := strings.Cut(key, "/")
	return policies.PodRef{Namespace: ns, Name: name}
}

func controllerFindings(c ControllerResult) []policies.Finding {
	var out []policies.Finding
	for _, cf := range c.Conflicts {
		rule := policies.RuleLabelConflict
		if cf.Property == "SELinuxChangePolicy" {
			rule = policies.RulePolicyConflict
		}
		other := ref(cf.OtherPod)
		msg := rule + ": (no event)"
		if len(cf.EventMessages) > 0 {
			msg = rule + ": " + cf.EventMessages[0]
		}
		out = append(out, policies.Finding{Rule: rule, Severity: policies.SeverityWarning, Pod: ref(cf.Pod), OtherPod: &other,
			Volume: cf.Volume, Property: cf.Property, Values: []string{cf.Value, cf.OtherValue}, Message: msg})
	}
	return out
}

func kubeletFindings(k KubeletResult) []policies.Finding {
	var out []policies.Finding
	for _, m := range k.Multiple {
		sev := policies.SeverityWarning
		if m.Error {
			sev = policies.SeverityError
		}
		out = append(out, policies.Finding{Rule: policies.RuleMultipleLabels, Severity: sev, Pod: ref(m.Pod), Volume: m.Volume,
			Values: m.Labels, Message: policies.RuleMultipleLabels + ": multiple SELinux labels on volume " + m.PodVolume})
	}
	for _, r := range k.Refusals {
		other := ref(r.Other)
		sev := policies.SeverityError
		if r.Latent {
			sev = policies.SeverityWarning
		}
		out = append(out, policies.Finding{Rule: policies.RuleWillBreak, Severity: sev, Pod: ref(r.Pod), OtherPod: &other, Volume: r.Volume,
			Values: []string{r.PodLabel, r.OtherLabel}, Latent: r.Latent, Message: policies.RuleWillBreak + ": " + r.Message})
	}
	return out
}

func policyFindings(p *cluster.Pod, v PolicyVerdict) []policies.Finding {
	if len(v.Errors) == 0 {
		return nil
	}
	return []policies.Finding{{Rule: policies.RuleMisuse, Severity: policies.SeverityError, Pod: policies.PodRef{Namespace: p.Namespace, Name: p.Name},
		Property: "seLinuxChangePolicy", Values: []string{string(*p.ChangePolicy())}, Message: policies.RuleMisuse + ": " + strings.Join(v.Errors, "; ")}}
}
