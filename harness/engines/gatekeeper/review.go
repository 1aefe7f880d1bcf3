package gatekeeper

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/frameworks/constraint/pkg/client/reviews"
	"github.com/open-policy-agent/frameworks/constraint/pkg/types"
	mutationtypes "github.com/open-policy-agent/gatekeeper/v3/pkg/mutation/types"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/target"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stypes "k8s.io/apimachinery/pkg/types"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// reviewAdmission asks the client about one admission request, as Gatekeeper's webhook would be asked.
func (e *Engine) reviewAdmission(ctx context.Context, o, old *cluster.Object, op string, ns *corev1.Namespace, state *cluster.State) ([]policies.Finding, map[string]int, error) {
	m, err := objectMap(o)
	if err != nil {
		return nil, nil, err
	}
	req, err := admissionRequest(o, m, old, op)
	if err != nil {
		return nil, nil, err
	}
	return e.ask(ctx, target.AugmentedReview{AdmissionRequest: req, Namespace: ns, Source: mutationtypes.SourceTypeOriginal, IsAdmission: true}, o, ns, state)
}

// reviewAudited asks the client about one stored object, as Gatekeeper's audit does.
func (e *Engine) reviewAudited(ctx context.Context, o *cluster.Object, ns *corev1.Namespace, state *cluster.State) ([]policies.Finding, map[string]int, error) {
	m, err := objectMap(o)
	if err != nil {
		return nil, nil, err
	}
	return e.ask(ctx, &target.AugmentedUnstructured{Object: unstructured.Unstructured{Object: m}, Namespace: ns, Source: mutationtypes.SourceTypeOriginal}, o, ns, state)
}

// ask sends one review and reads its results back into findings about o.
func (e *Engine) ask(ctx context.Context, obj any, o *cluster.Object, ns *corev1.Namespace, state *cluster.State) ([]policies.Finding, map[string]int, error) {
	nsMap, err := runtime.DefaultUnstructuredConverter.ToUnstructured(ns)
	if err != nil {
		return nil, nil, err
	}
	resp, err := e.client.Review(ctx, obj, reviews.Stats(true), reviews.Namespace(nsMap))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: review of %s: %w", o.Source, o.ID(), err)
	}
	key := cluster.PodFromObject(o).Key()
	var out []policies.Finding
	for _, r := range resp.Results() {
		fs, err := e.findings(r, o, state, key)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", o.Source, o.ID(), err)
		}
		out = append(out, fs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out, e.evaluated(resp), nil
}

func admissionRequest(o *cluster.Object, m map[string]any, old *cluster.Object, op string) (*admissionv1.AdmissionRequest, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	gvk := schema.FromAPIVersionAndKind(o.APIVersion, o.Kind)
	req := &admissionv1.AdmissionRequest{
		UID:       k8stypes.UID("selmount-" + o.Namespace + "-" + o.Name),
		Kind:      metav1.GroupVersionKind{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind},
		Resource:  metav1.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: strings.ToLower(gvk.Kind) + "s"},
		Name:      o.Name,
		Namespace: o.Namespace,
		Operation: admissionv1.Operation(op),
		Object:    runtime.RawExtension{Raw: raw},
	}
	if old != nil && op == policies.OperationUpdate {
		om, err := objectMap(old)
		if err != nil {
			return nil, err
		}
		if req.OldObject.Raw, err = json.Marshal(om); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// evaluated: the drivers' statistics name each template (Rego) or constraint (CEL) they ran.
func (e *Engine) evaluated(resp *types.Responses) map[string]int {
	out := map[string]int{}
	for _, s := range resp.StatsEntries {
		kind, _, _ := strings.Cut(s.StatsFor, "/")
		if rule, ok := e.rules[strings.ToLower(kind)]; ok {
			out[rule] = 1
		}
	}
	return out
}

// details is what the Rego library puts in a violation's details: the finding's fields.
type details struct {
	Rule     string           `json:"rule"`
	Severity string           `json:"severity"`
	Pod      policies.PodRef  `json:"pod"`
	OtherPod *policies.PodRef `json:"otherPod"`
	Volume   string           `json:"volume"`
	Property string           `json:"property"`
	Values   []string         `json:"values"`
	Latent   bool             `json:"latent"`
	Assumed  bool             `json:"assumed"`
}

func (e *Engine) findings(r *types.Result, o *cluster.Object, state *cluster.State, key string) ([]policies.Finding, error) {
	rule := e.rules[strings.ToLower(r.Constraint.GetKind())]
	if !strings.HasPrefix(r.Msg, rule+": ") {
		return nil, fmt.Errorf("constraint %s: message does not start with %s: %q", r.Constraint.GetName(), rule, r.Msg)
	}
	if raw, ok := r.Metadata["details"]; ok {
		data, err := json.Marshal(raw)
		if err != nil {
			return nil, err
		}
		var d details
		if err := json.Unmarshal(data, &d); err != nil {
			return nil, fmt.Errorf("constraint %s: details: %w", r.Constraint.GetName(), err)
		}
		if d.Rule != rule || d.Pod.Key() != key {
			return nil, fmt.Errorf("constraint %s: a finding about %s %s in a review of %s", r.Constraint.GetName(), d.Rule, d.Pod.Key(), key)
		}
		return []policies.Finding{{Rule: d.Rule, Severity: d.Severity, Pod: d.Pod, OtherPod: d.OtherPod, Volume: d.Volume,
			Property: d.Property, Values: d.Values, Message: r.Msg, Latent: d.Latent, Assumed: d.Assumed}}, nil
	}
	return celFindings(rule, r.Msg, o, state, key)
}

// The CEL validations' messages (internal/gatekeepergen/cel.go), read back into findings.
var (
	multipleLine = regexp.MustCompile(`^SELINUX-003: \S+ \S+: containers of .* mount volume "([^"]*)" with different SELinux labels \(((?:"[^"]*"(?:, )?)+)\); (.*)$`)
	quoted       = regexp.MustCompile(`"([^"]*)"`)
	labelValue   = regexp.MustCompile(`^SELINUX-005: \S+ \S+: namespace .* has selmount\.io/change-policy="(.*)", which is neither`)
)

const refused = "the kubelet refuses to start the pod"

func celFindings(rule, msg string, o *cluster.Object, state *cluster.State, key string) ([]policies.Finding, error) {
	ns, name, _ := strings.Cut(key, "/")
	base := policies.Finding{Rule: rule, Pod: policies.PodRef{Namespace: ns, Name: name}}
	switch rule {
	case policies.RuleMultipleLabels:
		pod := state.Pod(key)
		if pod == nil {
			return nil, fmt.Errorf("pod %s is not in the replayed state", key)
		}
		vols, _ := state.ResolvePod(pod)
		var out []policies.Finding
		// One sentence per volume, joined with "; " (a CEL message may not hold a line break).
		for i, line := range strings.Split(msg, "; SELINUX-003: ") {
			if i > 0 {
				line = "SELINUX-003: " + line
			}
			m := multipleLine.FindStringSubmatch(line)
			if m == nil {
				return nil, fmt.Errorf("unreadable %s message %q", rule, line)
			}
			f := base
			f.Message, f.Volume, f.Severity = line, m[1], policies.SeverityWarning
			if v, ok := vols[m[1]]; ok && v.Key != "" {
				f.Volume, f.Assumed = v.Key, v.Assumed
			}
			if m[3] == refused {
				f.Severity = policies.SeverityError
			}
			for _, q := range quoted.FindAllStringSubmatch(m[2], -1) {
				f.Values = append(f.Values, q[1])
			}
			out = append(out, f)
		}
		return out, nil
	case policies.RuleMisuse:
		f := base
		f.Message = msg
		if m := labelValue.FindStringSubmatch(msg); m != nil {
			f.Severity, f.Property, f.Values = policies.SeverityWarning, policies.OptOutLabel, []string{m[1]}
			return []policies.Finding{f}, nil
		}
		pod := cluster.PodFromObject(o)
		value := ""
		if cp := pod.ChangePolicy(); cp != nil {
			value = string(*cp)
		} else if pod.Kind != "Pod" {
			// A stored workload without a policy reads as the Pods the opt-out mutates (the CEL's optOut).
			value = policies.OptOutScope{}.Value(state, pod.Namespace)
		}
		if value == "" {
			return nil, fmt.Errorf("a %s error about a Pod without seLinuxChangePolicy: %q", rule, msg)
		}
		f.Severity, f.Property, f.Values = policies.SeverityError, "seLinuxChangePolicy", []string{value}
		return []policies.Finding{f}, nil
	}
	return nil, fmt.Errorf("%s has no CEL validation: %q", rule, msg)
}
