// Package kyverno evaluates the kyverno/ bundle with Kyverno's own policy engines in process, as the
// harness engine "kyverno": policies loaded by the CLI's loader, compiled by the ValidatingPolicy and
// MutatingPolicy engines its `apply` and `test` commands run, and cluster lookups (resource.List,
// resource.Get) answered from the replayed cluster.
//
// Kyverno links some 2,700 packages: only this package (and harness/cmd/verify) may import it.
package kyverno

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	celengine "github.com/kyverno/kyverno/pkg/cel/engine"
	engineapi "github.com/kyverno/kyverno/pkg/engine/api"
	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Name is the engine's name in reports.
const Name = "kyverno"

// Engine evaluates kyverno/ (or overlays/v1.36 for clusters with SELinuxMount off).
type Engine struct {
	dir    string
	mu     sync.Mutex
	loaded map[string]*bundle
}

// New returns an engine for the kustomization at dir (the repository's kyverno/ folder).
func New(dir string) *Engine { return &Engine{dir: dir, loaded: map[string]*bundle{}} }

func (e *Engine) Name() string { return Name }

// SubjectFirst: PolicyReport results are read on their own, so every sentence of a policy's message
// names the Pod or workload first (kyverno/base/variables.yaml); the harness checks it.
func (e *Engine) SubjectFirst() bool { return true }

func (e *Engine) Rules() []string { return harness.ClaimedRules() }

// BundleFor is the kustomization a cluster with this profile applies. The bundle cannot read the
// SELinuxMountReadWriteOncePod and SELinuxChangePolicy gates: it assumes both on (GA and locked since
// 1.36); profiles that turn them off are listed divergences.
func (e *Engine) BundleFor(p gates.Profile) string {
	if p.Mount {
		return e.dir
	}
	return filepath.Join(e.dir, "overlays", "v1.36")
}

func (e *Engine) bundle(p gates.Profile) (*bundle, error) {
	dir := e.BundleFor(p)
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, ok := e.loaded[dir]; ok {
		return b, nil
	}
	b, err := loadBundle(dir)
	if err != nil {
		return nil, err
	}
	e.loaded[dir] = b
	return b, nil
}

var (
	podGVK = schema.GroupVersionKind{Version: "v1", Kind: "Pod"}
	podGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	user   = authenticationv1.UserInfo{Username: "selmount-harness"}
)

// Admit runs the MutatingPolicy, then the ValidatingPolicies on what it produced, as Kyverno's
// webhooks do, with lookups answered from the cluster before the admission. A workload is admitted as
// the Pod its controller creates (always a CREATE), since the policies match Pods only.
func (e *Engine) Admit(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	b, err := e.bundle(a.Scenario.Profile)
	if err != nil {
		return harness.Outcome{}, err
	}
	v, err := newView(a.Prior, namespaceOf(a.Object))
	if err != nil {
		return harness.Outcome{}, err
	}
	pos := -1
	for i := range a.Prior {
		if a.Prior[i].SameObject(a.Object) {
			pos = i
		}
	}
	return b.admit(ctx, v, a, pos)
}

// admit is one admission against a cluster already served (as an API server holds it); pos is the
// admitted object's position in it (its creation order), -1 for a CREATE.
func (b *bundle) admit(ctx context.Context, v *view, a harness.Admission, pos int) (harness.Outcome, error) {
	obj, name, err := served(a.Object, pos)
	if err != nil {
		return harness.Outcome{}, err
	}
	op, sub := admissionv1.Create, ""
	var old *unstructured.Unstructured
	if a.Operation == policies.OperationUpdate && a.Object.Kind == "Pod" && a.OldObject != nil {
		op, sub = admissionv1.Update, a.Subresource
		if old, _, err = served(a.OldObject, pos); err != nil {
			return harness.Outcome{}, err
		}
	}
	done := shared.use(v)
	defer done()
	patched, err := b.mutate(ctx, obj, old, op, sub)
	if err != nil {
		return harness.Outcome{}, fmt.Errorf("%s: %w", a.Object.Source, err)
	}
	out := harness.Outcome{}
	if after := changePolicy(patched); after != changePolicy(obj) {
		mutated, err := harness.WithChangePolicy(a.Object, after)
		if err != nil {
			return harness.Outcome{}, err
		}
		out.Object = &mutated
	}
	if pos < 0 && len(a.Prior) > 0 {
		// The API server stamps a created Pod, in whole seconds, after the mutating webhooks and
		// before the validating ones, so it may share its second with the latest stored object: the
		// policies must still take it for the later one. Replayed as that tie.
		patched.SetCreationTimestamp(metav1.NewTime(epoch.Add(time.Duration(len(a.Prior)-1) * time.Second)))
	}
	out.Findings, out.Evaluated, err = b.validate(ctx, v, patched, old, op, sub, name)
	if err != nil {
		return harness.Outcome{}, fmt.Errorf("%s: %w", a.Object.Source, err)
	}
	return out, nil
}

// Audit validates every Pod and workload of the final state against all of it, as Kyverno's
// background scan does (no mutation).
func (e *Engine) Audit(ctx context.Context, sc *harness.Scenario, objects []cluster.Object) (harness.Outcome, error) {
	b, err := e.bundle(sc.Profile)
	if err != nil {
		return harness.Outcome{}, err
	}
	v, err := newView(objects)
	if err != nil {
		return harness.Outcome{}, err
	}
	done := shared.use(v)
	defer done()
	out := harness.Outcome{Evaluated: map[string]int{}}
	for i := range objects {
		o := &objects[i]
		if cluster.PodFromObject(o) == nil {
			continue
		}
		obj, name, err := served(o, i)
		if err != nil {
			return harness.Outcome{}, err
		}
		fs, ev, err := b.validate(ctx, v, obj, nil, admissionv1.Create, "", name)
		if err != nil {
			return harness.Outcome{}, fmt.Errorf("%s: %w", o.Source, err)
		}
		out.Findings = append(out.Findings, fs...)
		for r, n := range ev {
			out.Evaluated[r] += n
		}
	}
	// One audit is one case per rule, however many Pods it holds.
	for r := range out.Evaluated {
		out.Evaluated[r] = min(out.Evaluated[r], 1)
	}
	out.Findings = policies.SortFindings(out.Findings)
	return out, nil
}

func request(obj, old *unstructured.Unstructured, op admissionv1.Operation, subresource string) celengine.EngineRequest {
	var oldObj runtime.Object
	if old != nil {
		oldObj = old
	}
	return celengine.Request(shared, podGVK, podGVR, subresource, obj.GetName(), obj.GetNamespace(), op, user, obj, oldObj, false, nil)
}

// mutate runs the MutatingPolicy; the result is the object the validations see.
func (b *bundle) mutate(ctx context.Context, obj, old *unstructured.Unstructured, op admissionv1.Operation, subresource string) (*unstructured.Unstructured, error) {
	resp, err := b.mpol.Handle(ctx, request(obj, old, op, subresource), nil)
	if err != nil {
		return nil, fmt.Errorf("mutating policies: %v", err)
	}
	for _, p := range resp.Policies {
		for _, r := range p.Rules {
			if r.Status() == engineapi.RuleStatusError {
				return nil, fmt.Errorf("mutating policy %s: %s", p.Policy.GetName(), r.Message())
			}
		}
	}
	if resp.PatchedResource != nil {
		return resp.PatchedResource, nil
	}
	return obj, nil
}

func changePolicy(u *unstructured.Unstructured) string {
	v, _, _ := unstructured.NestedString(u.Object, "spec", "securityContext", "seLinuxChangePolicy")
	return v
}
