package admissionpolicy

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/warning"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Name is the engine's name in reports.
const Name = "admission-policy"

// Engine evaluates the map/ bundle with the API server's admission plugins. Clusters whose profile has
// SELinuxMount off get the bundle's v1.36 overlay, as their owners would apply it.
type Engine struct {
	mapDir string
	mu     sync.Mutex
	loaded map[string]*plugins
}

// New returns an engine for the kustomization at mapDir (the repository's map/ folder).
func New(mapDir string) *Engine { return &Engine{mapDir: mapDir, loaded: map[string]*plugins{}} }

func (e *Engine) Name() string { return Name }

func (e *Engine) Rules() []string { return harness.ClaimedRules(Omitted...) }

// Omitted are the rules a MutatingAdmissionPolicy or ValidatingAdmissionPolicy cannot check: they
// see the one object under review, never the other Pods and volumes.
var Omitted = []harness.Omission{
	{Rule: policies.RuleLabelConflict, Reason: "compares two Pods; an admission policy sees one object"},
	{Rule: policies.RulePolicyConflict, Reason: "compares two Pods; an admission policy sees one object"},
	{Rule: policies.RuleWillBreak, Reason: "needs the Pods already on the volume; an admission policy sees one object"},
}

// ClusterWideExcluded are the namespaces overlays/cluster-wide leaves alone.
var ClusterWideExcluded = []string{"kube-system", "kube-public", "kube-node-lease"}

// BundleFor is the kustomization a cluster with this profile and opt-out scope applies.
func (e *Engine) BundleFor(p gates.Profile, scope policies.OptOutScope) (string, error) {
	switch {
	case scope.ClusterWide && p.Mount:
		return filepath.Join(e.mapDir, "overlays", "cluster-wide"), nil
	case scope.ClusterWide:
		return "", fmt.Errorf("overlays/cluster-wide is for clusters with SELinuxMount on (profile %s)", p.Name)
	case p.Mount:
		return e.mapDir, nil
	}
	return filepath.Join(e.mapDir, "overlays", "v1.36"), nil
}

func (e *Engine) plugins(sc *harness.Scenario) (*plugins, error) {
	dir, err := e.BundleFor(sc.Profile, sc.OptOut)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if ps, ok := e.loaded[dir]; ok {
		return ps, nil
	}
	b, err := LoadBundle(dir)
	if err != nil {
		return nil, err
	}
	ps, err := startPlugins(b)
	if err != nil {
		return nil, err
	}
	e.loaded[dir] = ps
	return ps, nil
}

// Close stops the plugins' informers.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ps := range e.loaded {
		close(ps.stop)
	}
	e.loaded = map[string]*plugins{}
}

var objectInterfaces = admission.NewObjectInterfacesFromScheme(scheme.Scheme)

// Admit runs the mutating plugin, then the validating plugin on what it produced, as the API server does.
func (e *Engine) Admit(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	ps, err := e.plugins(a.Scenario)
	if err != nil {
		return harness.Outcome{}, err
	}
	ps.namespaces.set(namespacesOf(a.Prior, a.Object.Namespace))
	pod, op, err := podOf(a.Object)
	if err != nil {
		return harness.Outcome{}, err
	}
	var old *corev1.Pod
	if a.Operation == policies.OperationUpdate && op == admission.Update {
		if old, _, err = podOf(a.OldObject); err != nil {
			return harness.Outcome{}, err
		}
	} else {
		op = admission.Create
	}
	sub := ""
	if op == admission.Update {
		sub = a.Subresource
	}
	before := changePolicy(pod)
	if err := ps.mutating.Admit(ctx, attributes(pod, old, op, sub), objectInterfaces); err != nil {
		return harness.Outcome{}, fmt.Errorf("%s: mutating admission: %w", a.Object.Source, err)
	}
	out := harness.Outcome{}
	if after := changePolicy(pod); after != before {
		obj, err := harness.WithChangePolicy(a.Object, after)
		if err != nil {
			return harness.Outcome{}, err
		}
		out.Object = &obj
	}
	state := stateWith(a.Prior, out.Object, a.Object)
	out.Findings, out.Evaluated, err = ps.validate(ctx, pod, old, op, sub, state, podKey(a.Object))
	return out, err
}

// Audit validates every Pod and workload of the final state, as CREATEs with no mutation.
func (e *Engine) Audit(ctx context.Context, sc *harness.Scenario, objects []cluster.Object) (harness.Outcome, error) {
	ps, err := e.plugins(sc)
	if err != nil {
		return harness.Outcome{}, err
	}
	state := stateWith(objects, nil, nil)
	out := harness.Outcome{Evaluated: map[string]int{}}
	for i := range objects {
		o := &objects[i]
		if cluster.PodFromObject(o) == nil {
			continue
		}
		ps.namespaces.set(namespacesOf(objects, o.Namespace))
		pod, _, err := podOf(o)
		if err != nil {
			return harness.Outcome{}, err
		}
		fs, ev, err := ps.validate(ctx, pod, nil, admission.Create, "", state, podKey(o))
		if err != nil {
			return harness.Outcome{}, err
		}
		out.Findings = append(out.Findings, fs...)
		for r, n := range ev {
			out.Evaluated[r] += n
		}
	}
	// One audit is one case per rule, however many pods it holds.
	for r := range out.Evaluated {
		out.Evaluated[r] = min(out.Evaluated[r], 1)
	}
	return out, nil
}

type warnings struct{ texts []string }

func (w *warnings) AddWarning(_, text string) { w.texts = append(w.texts, text) }

// annotated keeps the audit annotations the validating policies publish, which prove they ran.
type annotated struct {
	admission.Attributes
	annotations map[string]string
}

func (a *annotated) AddAnnotation(key, value string) error {
	a.annotations[key] = value
	return a.Attributes.AddAnnotation(key, value)
}

func (ps *plugins) validate(ctx context.Context, pod, old *corev1.Pod, op admission.Operation, subresource string, state *cluster.State, key string) ([]policies.Finding, map[string]int, error) {
	rec := &warnings{}
	attrs := &annotated{Attributes: attributes(pod, old, op, subresource), annotations: map[string]string{}}
	if err := ps.validating.Validate(warning.WithWarningRecorder(ctx, rec), attrs, objectInterfaces); err != nil {
		// Deny bindings (overlays/deny) refuse instead of warning; the message is the same.
		rec.texts = append(rec.texts, err.Error())
	}
	return findingsOf(rec.texts, attrs.annotations, state, key)
}

func attributes(pod, old *corev1.Pod, op admission.Operation, subresource string) admission.Attributes {
	var oldObj runtimeObject
	if old != nil {
		oldObj = old
	}
	opts := runtimeObject(&metav1.CreateOptions{})
	if op == admission.Update {
		opts = &metav1.UpdateOptions{}
	}
	return admission.NewAttributesRecord(pod, oldObj, podGVK, pod.Namespace, pod.Name, podGVR, subresource, op, opts, false,
		&user.DefaultInfo{Name: "selmount-harness"})
}
