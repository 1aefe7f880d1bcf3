package kyverno

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	engineapi "github.com/kyverno/kyverno/pkg/engine/api"
	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/policies"
)

// Audit annotations every selmount ValidatingPolicy publishes (Kyverno returns them as the rule
// response's properties, and puts them in policy reports).
const (
	evaluatedKey = "evaluated"
	findingsKey  = "findings"
)

// validate runs the ValidatingPolicies on one Pod (model name key) and reads the findings back. Every
// policy must have matched and answered pass or fail: a skipped or failed evaluation is an error, so
// a policy that silently stops running cannot pass.
func (b *bundle) validate(ctx context.Context, v *view, obj, old *unstructured.Unstructured, op admissionv1.Operation, subresource string, name *podName) ([]policies.Finding, map[string]int, error) {
	resp, err := b.vpol.Handle(ctx, request(obj, old, op, subresource), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("validating policies: %v", err)
	}
	key := name.key
	ns, podName, _ := strings.Cut(key, "/")
	ref := policies.PodRef{Namespace: ns, Name: podName}
	answered := map[string]bool{}
	evaluated := map[string]int{}
	var out []policies.Finding
	for _, p := range resp.Policies {
		pol := p.Policy.GetName()
		if len(p.Rules) != 1 {
			return nil, nil, fmt.Errorf("policy %s gave %d rule responses for pod %s, want 1", pol, len(p.Rules), key)
		}
		r := p.Rules[0]
		if s := r.Status(); s != engineapi.RuleStatusPass && s != engineapi.RuleStatusFail {
			return nil, nil, fmt.Errorf("policy %s did not evaluate pod %s: %s: %s", pol, key, s, r.Message())
		}
		answered[pol] = true
		props := r.Properties()
		if props[evaluatedKey] == "" {
			return nil, nil, fmt.Errorf("policy %s published no %q annotation for pod %s", pol, evaluatedKey, key)
		}
		for _, rule := range strings.Split(props[evaluatedKey], ",") {
			evaluated[rule] = 1
		}
		fs, err := readFindings(props[findingsKey], v, ref, name)
		if err != nil {
			return nil, nil, fmt.Errorf("policy %s, pod %s: %v", pol, key, err)
		}
		if (len(fs) > 0) != (r.Status() == engineapi.RuleStatusFail) {
			return nil, nil, fmt.Errorf("policy %s, pod %s: %s with %d findings", pol, key, r.Status(), len(fs))
		}
		// The rule's message joins one sentence per finding, in the findings' order, with "; ".
		msgs := splitMessage(r.Message())
		if len(fs) > 0 && len(msgs) != len(fs) {
			return nil, nil, fmt.Errorf("policy %s, pod %s: %d findings but %d messages in %q", pol, key, len(fs), len(msgs), r.Message())
		}
		for i := range fs {
			if !strings.HasPrefix(msgs[i], fs[i].Rule+": ") {
				return nil, nil, fmt.Errorf("policy %s, pod %s: message %q does not name %s", pol, key, msgs[i], fs[i].Rule)
			}
			fs[i].Message = msgs[i]
		}
		out = append(out, fs...)
	}
	for _, pol := range b.validating {
		if !answered[pol] {
			return nil, nil, fmt.Errorf("policy %s did not match pod %s", pol, key)
		}
	}
	return policies.SortFindings(out), evaluated, nil
}

// splitMessage cuts a policy's message into its findings' sentences, each "SELINUX-00N: ...".
func splitMessage(msg string) []string {
	parts := strings.Split(msg, "; SELINUX-")
	for i := 1; i < len(parts); i++ {
		parts[i] = "SELINUX-" + parts[i]
	}
	return parts
}

// readFindings decodes the findings annotation: [rule, severity, volume, property, other Pod's UID,
// latent, values...] per finding.
func readFindings(data string, v *view, pod policies.PodRef, name *podName) ([]policies.Finding, error) {
	var rows [][]string
	if err := json.Unmarshal([]byte(data), &rows); err != nil {
		return nil, fmt.Errorf("findings annotation %q: %v", data, err)
	}
	var out []policies.Finding
	for _, row := range rows {
		if len(row) < 6 {
			return nil, fmt.Errorf("short finding %q", row)
		}
		f := policies.Finding{Rule: row[0], Severity: row[1], Pod: pod, Volume: name.volume(row[2]), Property: row[3], Latent: row[5] == "true", Values: row[6:]}
		if len(f.Values) == 0 {
			f.Values = nil
		}
		if row[4] != "" {
			key, ok := v.pods[row[4]]
			if !ok {
				return nil, fmt.Errorf("finding names an unknown pod UID %q", row[4])
			}
			ns, name, _ := strings.Cut(key, "/")
			f.OtherPod = &policies.PodRef{Namespace: ns, Name: name}
		}
		out = append(out, f)
	}
	return out, nil
}
