package webhook

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Snapshotter is the cluster as the webhook last saw it, and whether it has seen all of it.
type Snapshotter interface {
	Snapshot() (*cluster.State, bool)
}

// EnforceLabel on a namespace makes the webhook refuse, not only warn about, Pods with error
// findings there.
const EnforceLabel = "selmount.io/enforce"

// Admitter answers admissions with the model.
type Admitter struct {
	Profile gates.Profile
	Cluster Snapshotter
	// DenyAll refuses error findings in every namespace, as the deny overlays of the bundles do.
	DenyAll bool

	index indexCache
	// scanAll hands the model the whole snapshot, as before the index: the benchmark's baseline.
	scanAll bool
}

// FindingsAnnotation is the audit annotation (recorded as "<webhook name>/findings") holding the
// admitted Pod's findings as the JSON of `selmount scan --pairs -o json`.
const FindingsAnnotation = "findings"

// source names the objects of admissions in messages.
const source = "<admission>"

// object decodes the request's object, taking the namespace from the request when the object does
// not carry it (a CREATE may not) and naming a generateName Pod by its prefix.
func object(req *admissionv1.AdmissionRequest, raw []byte) (*cluster.Object, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	meta, _ := m["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		m["metadata"] = meta
	}
	if ns, _ := meta["namespace"].(string); ns == "" {
		meta["namespace"] = req.Namespace
	}
	if name, _ := meta["name"].(string); name == "" {
		prefix, _ := meta["generateName"].(string)
		meta["name"] = cmp.Or(req.Name, prefix+"<generated>")
	}
	fixed, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	objs, err := cluster.Decode(source, fixed)
	if err != nil {
		return nil, err
	}
	if len(objs) != 1 {
		return nil, fmt.Errorf("the request holds %d objects", len(objs))
	}
	return &objs[0], nil
}

// Mutate is SELINUX-004: a JSONPatch setting seLinuxChangePolicy where the model's opt-out would,
// from the namespace labels alone, on Pod CREATE only. A workload is never patched: its controller
// creates its Pods, and each is mutated at its own CREATE (as the bundles do), so no stored object
// is ever changed on UPDATE. Nothing else is ever patched.
func (a *Admitter) Mutate(req *admissionv1.AdmissionRequest) (*admissionv1.AdmissionResponse, error) {
	resp := &admissionv1.AdmissionResponse{Allowed: true}
	if req.SubResource != "" || req.Operation != admissionv1.Create {
		return resp, nil
	}
	o, err := object(req, req.Object.Raw)
	if err != nil || o == nil {
		return nil, fmt.Errorf("%s %s/%s: %v", req.Kind.Kind, req.Namespace, req.Name, err)
	}
	pod := cluster.PodFromObject(o)
	if pod == nil || o.Kind != "Pod" {
		return resp, nil
	}
	s, _ := a.Cluster.Snapshot()
	value := policies.OptOutScope{}.Mutation(s, pod, string(req.Operation))
	if value == "" {
		return resp, nil
	}
	patch, err := optOutPatch(pod, value)
	if err != nil || patch == nil {
		return resp, err
	}
	pt := admissionv1.PatchTypeJSONPatch
	resp.Patch, resp.PatchType = patch, &pt
	return resp, nil
}

// optOutPatch adds seLinuxChangePolicy, and the securityContext that holds it when there is none:
// an add never replaces a value (Mutation returns "" when the policy is set).
func optOutPatch(pod *cluster.Pod, value string) ([]byte, error) {
	if pod.Spec == nil {
		return nil, nil
	}
	op := map[string]any{"op": "add", "path": "/spec/securityContext/seLinuxChangePolicy", "value": value}
	if pod.Spec.SecurityContext == nil {
		op = map[string]any{"op": "add", "path": "/spec/securityContext", "value": map[string]any{"seLinuxChangePolicy": value}}
	}
	return json.Marshal([]any{op})
}

// Validate is every other rule about the admitted Pod, replayed against the cached cluster: warnings,
// or a refusal of error findings where the namespace enforces. Messages follow the model's
// censoring: no Pod of another namespace is named.
func (a *Admitter) Validate(req *admissionv1.AdmissionRequest) (*admissionv1.AdmissionResponse, error) {
	resp := &admissionv1.AdmissionResponse{Allowed: true}
	if req.Operation != admissionv1.Create && req.Operation != admissionv1.Update {
		return resp, nil
	}
	if req.SubResource != "" && req.SubResource != "ephemeralcontainers" {
		return resp, nil
	}
	o, err := object(req, req.Object.Raw)
	if err != nil || o == nil {
		return nil, fmt.Errorf("%s %s/%s: %v", req.Kind.Kind, req.Namespace, req.Name, err)
	}
	pod := cluster.PodFromObject(o)
	if pod == nil {
		return resp, nil
	}
	old, err := object(req, req.OldObject.Raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s/%s: old object: %v", req.Kind.Kind, req.Namespace, req.Name, err)
	}
	s, _ := a.Cluster.Snapshot()
	if !a.scanAll {
		s = a.index.of(s).narrow(pod)
	}
	res, err := policies.Admit(a.Profile, s, policies.Request{Operation: string(req.Operation), Object: o, OldObject: old})
	if err != nil {
		return nil, err
	}
	// The findings as data, for the audit log (cluster admins read it, as they read the metric):
	// warnings are text for the person who applied the Pod.
	findings, err := json.Marshal(res.Findings)
	if err != nil {
		return nil, err
	}
	resp.AuditAnnotations = map[string]string{FindingsAnnotation: string(findings)}
	var errs []string
	for _, f := range res.Findings {
		resp.Warnings = append(resp.Warnings, f.Message)
		if f.Severity == policies.SeverityError {
			errs = append(errs, f.Message)
		}
	}
	if len(errs) > 0 && a.enforces(s, o.Namespace) {
		resp.Allowed = false
		resp.Result = &metav1.Status{Status: metav1.StatusFailure, Code: 403, Reason: metav1.StatusReasonForbidden,
			Message: strings.Join(errs, "; ")}
	}
	return resp, nil
}

func (a *Admitter) enforces(s *cluster.State, namespace string) bool {
	if a.DenyAll {
		return true
	}
	ns := s.Namespaces[namespace]
	return ns != nil && ns.Labels[EnforceLabel] == "true"
}
