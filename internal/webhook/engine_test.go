package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
)

// fixedCluster is a Snapshotter a test sets before each request.
type fixedCluster struct {
	mu sync.Mutex
	s  *cluster.State
}

func (f *fixedCluster) Snapshot() (*cluster.State, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s, f.s != nil
}

func (f *fixedCluster) set(objs []cluster.Object) {
	s := cluster.NewState()
	for i := range objs {
		s.Apply(&objs[i])
	}
	f.mu.Lock()
	f.s = s
	f.mu.Unlock()
}

// engine is the webhook behind harness.Engine: each admission is a mutating then a validating
// AdmissionReview over HTTPS on loopback, as the API server sends them, and the findings are read
// from the validating response's audit annotation. The webhook has no audit: only admissions count.
type engine struct {
	srv     *httptest.Server
	cluster *fixedCluster
	adm     *Admitter
}

func newEngine(t testing.TB) *engine {
	e := &engine{cluster: &fixedCluster{}}
	e.adm = &Admitter{Cluster: e.cluster}
	h := &Handler{Admitter: e.adm, Metrics: NewMetrics(), Ready: func() bool { return true }}
	e.srv = httptest.NewTLSServer(h.Mux())
	t.Cleanup(e.srv.Close)
	return e
}

func (e *engine) Name() string    { return "webhook" }
func (e *engine) Rules() []string { return harness.ClaimedRules() }

func (e *engine) Audit(context.Context, *harness.Scenario, []cluster.Object) (harness.Outcome, error) {
	return harness.Outcome{}, nil
}

func (e *engine) Admit(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	e.cluster.set(a.Prior)
	e.adm.Profile = a.Scenario.Profile
	if a.Object.Kind != "Pod" {
		return e.admitWorkload(ctx, a)
	}
	req := request(a, a.Object.Raw)
	mut, err := e.send(ctx, "/mutate", req)
	if err != nil {
		return harness.Outcome{}, err
	}
	out := harness.Outcome{Evaluated: map[string]int{}}
	raw := []byte(a.Object.Raw)
	if mut.Patch != nil {
		if raw, err = applyAdds(raw, mut.Patch); err != nil {
			return harness.Outcome{}, err
		}
		objs, err := cluster.Decode(a.Object.Source.File, raw)
		if err != nil {
			return harness.Outcome{}, err
		}
		out.Object = &objs[0]
	}
	return e.validate(ctx, a, raw, out)
}

// validate sends the admitted object, as mutated, to /validate and reads its findings back.
func (e *engine) validate(ctx context.Context, a harness.Admission, raw []byte, out harness.Outcome) (harness.Outcome, error) {
	val, err := e.send(ctx, "/validate", request(a, raw))
	if err != nil {
		return harness.Outcome{}, err
	}
	findings, ok := val.AuditAnnotations[FindingsAnnotation]
	if !ok {
		return out, nil // not evaluated: the coverage check sees it
	}
	if err := json.Unmarshal([]byte(findings), &out.Findings); err != nil {
		return harness.Outcome{}, err
	}
	if len(out.Findings) != len(val.Warnings) {
		return harness.Outcome{}, fmt.Errorf("%d findings, %d warnings", len(out.Findings), len(val.Warnings))
	}
	for i, f := range out.Findings {
		if val.Warnings[i] != f.Message {
			return harness.Outcome{}, fmt.Errorf("warning %q is not finding %q", val.Warnings[i], f.Message)
		}
	}
	for _, r := range e.Rules() {
		out.Evaluated[r] = 1
	}
	return out, nil
}

// admitWorkload admits a workload as the API server and its controller would: the workload itself is
// never patched, the Pod its controller creates is mutated at its CREATE, which is what the workload
// stands for in the model (harness.WithChangePolicy); the workload, carrying that Pod's policy, is
// then validated.
func (e *engine) admitWorkload(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	out := harness.Outcome{Evaluated: map[string]int{}}
	mut, err := e.send(ctx, "/mutate", request(a, a.Object.Raw))
	if err != nil {
		return harness.Outcome{}, err
	}
	if mut.Patch != nil {
		return harness.Outcome{}, fmt.Errorf("%s: the workload itself was patched", a.Object.ID())
	}
	pod := cluster.PodFromObject(a.Object)
	if pod == nil {
		return harness.Outcome{}, fmt.Errorf("%s: no pod template", a.Object.ID())
	}
	podRaw, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": a.Object.Name + "-0", "namespace": a.Object.Namespace, "labels": pod.Labels},
		"spec":     pod.Spec})
	if err != nil {
		return harness.Outcome{}, err
	}
	create := request(a, podRaw)
	create.Kind.Kind, create.Operation, create.OldObject = "Pod", admissionv1.Create, runtime.RawExtension{}
	mut, err = e.send(ctx, "/mutate", create)
	if err != nil {
		return harness.Outcome{}, err
	}
	raw := []byte(a.Object.Raw)
	if mut.Patch != nil {
		patched, err := applyAdds(podRaw, mut.Patch)
		if err != nil {
			return harness.Outcome{}, err
		}
		var p struct {
			Spec struct {
				SecurityContext struct {
					SELinuxChangePolicy string `json:"seLinuxChangePolicy"`
				} `json:"securityContext"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(patched, &p); err != nil {
			return harness.Outcome{}, err
		}
		obj, err := harness.WithChangePolicy(a.Object, p.Spec.SecurityContext.SELinuxChangePolicy)
		if err != nil {
			return harness.Outcome{}, err
		}
		out.Object, raw = &obj, []byte(obj.Raw)
	}
	return e.validate(ctx, a, raw, out)
}

func request(a harness.Admission, raw []byte) *admissionv1.AdmissionRequest {
	req := &admissionv1.AdmissionRequest{
		UID:         types.UID(fmt.Sprintf("%s-%d", a.Scenario.Name, a.Index)),
		Kind:        metav1.GroupVersionKind{Kind: a.Object.Kind},
		Namespace:   a.Object.Namespace,
		Name:        a.Object.Name,
		Operation:   admissionv1.Operation(a.Operation),
		SubResource: a.Subresource,
		Object:      runtime.RawExtension{Raw: raw},
	}
	if a.OldObject != nil {
		req.OldObject = runtime.RawExtension{Raw: a.OldObject.Raw}
	}
	return req
}

func (e *engine) send(ctx context.Context, path string, req *admissionv1.AdmissionRequest) (*admissionv1.AdmissionResponse, error) {
	review := admissionv1.AdmissionReview{Request: req}
	review.APIVersion, review.Kind = "admission.k8s.io/v1", "AdmissionReview"
	body, err := json.Marshal(review)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", path, resp.Status)
	}
	var out admissionv1.AdmissionReview
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if out.Response == nil || out.Response.UID != req.UID {
		return nil, fmt.Errorf("%s: response without the request's uid", path)
	}
	return out.Response, nil
}

// applyAdds applies a JSONPatch of add operations, the only kind the webhook sends.
func applyAdds(raw, patch []byte) ([]byte, error) {
	var ops []struct {
		Op, Path string
		Value    any
	}
	if err := json.Unmarshal(patch, &ops); err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	for _, op := range ops {
		if op.Op != "add" {
			return nil, fmt.Errorf("patch op %q: the webhook only adds", op.Op)
		}
		parts := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
		m := doc
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("patch path %s: %s is missing", op.Path, p)
			}
			m = next
		}
		last := parts[len(parts)-1]
		if v, exists := m[last]; exists && v != nil { // an explicit null is no value: add replaces it
			return nil, fmt.Errorf("patch path %s: would replace a value", op.Path)
		}
		m[last] = op.Value
	}
	return json.Marshal(doc)
}

// onlyAdmissions drops what a webhook cannot have: audit findings, and the audit's share of the
// coverage count (n admissions + 1 audit cases are wanted; n is what a webhook can give).
func onlyAdmissions(r *harness.Replay, diffs []harness.Difference) []harness.Difference {
	var out []harness.Difference
	for _, d := range diffs {
		if d.Mode == "audit" || (d.Mode == "coverage" && d.Got == fmt.Sprint(len(r.Admits))) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// The webhook agrees with the model on every admission of every scenario (those whose opt-out is the
// namespace label; the cluster-wide variant is a MAP overlay) and of generated clusters, and keeps
// the safety properties (no UPDATE mutated, no overwrite, no Windows Pod, no cross-namespace names).
func TestWebhookAgreesWithTheModel(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	scs, err := harness.LoadScenarios("../../harness/scenarios")
	require.NoError(t, err)
	admissions := 0
	check := func(sc *harness.Scenario) {
		r, err := harness.Run(ctx, e, sc)
		require.NoError(t, err, sc.Name)
		for _, d := range onlyAdmissions(r, harness.Compare(r, e.Rules(), harness.WantFromModel(r))) {
			t.Errorf("%s: %s", sc.Name, d)
		}
		safety, err := harness.Safety(ctx, e, r)
		require.NoError(t, err, sc.Name)
		for _, d := range safety {
			t.Errorf("%s: %s", sc.Name, d)
		}
		admissions += len(r.Admits)
	}
	for _, sc := range scs {
		if sc.OptOut.ClusterWide {
			continue
		}
		check(sc)
	}
	for seed := range uint64(200) {
		check(harness.Generate(seed, harness.GenOptions{MaxPods: 12}))
	}
	require.Greater(t, admissions, 1000)
}
