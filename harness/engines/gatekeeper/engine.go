// Package gatekeeper runs the gatekeeper/ bundle as the harness engine "gatekeeper": its
// ConstraintTemplates and Constraints through the constraint framework client with Gatekeeper's
// Kubernetes target and its Rego and CEL drivers (the recipe of gator and of Gatekeeper itself), its
// Assign mutators through Gatekeeper's mutation system, and data.inventory filled from the replay as
// the sync Config would fill it.
package gatekeeper

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	templatesv1 "github.com/open-policy-agent/frameworks/constraint/pkg/apis/templates/v1"
	constraintclient "github.com/open-policy-agent/frameworks/constraint/pkg/client"
	"github.com/open-policy-agent/frameworks/constraint/pkg/client/drivers/rego"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/drivers/k8scel"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/mutation"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/target"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Name is the engine's name in reports.
const Name = "gatekeeper"

// Options change how the bundle runs.
type Options struct {
	// PreferRego registers the Rego driver before the CEL one, so that templates carrying both run
	// their Rego (Gatekeeper and gator prefer CEL; this checks the Rego those templates also ship).
	PreferRego bool
}

// Engine holds one constraint client and one mutation system loaded from the bundle.
type Engine struct {
	name      string
	bundle    *bundle
	client    *constraintclient.Client
	mutations *mutation.System
	// rules maps a constraint kind (lowercase, as drivers report it) to its rule.
	rules   map[string]string
	profile string
	inv     *inventory
}

// New loads the kustomize build of dir (gatekeeper/).
func New(ctx context.Context, dir string, opts Options) (*Engine, error) {
	b, err := loadBundle(dir)
	if err != nil {
		return nil, err
	}
	regoDriver, err := rego.New()
	if err != nil {
		return nil, err
	}
	celDriver, err := k8scel.New()
	if err != nil {
		return nil, err
	}
	drivers := []constraintclient.Opt{constraintclient.Driver(celDriver), constraintclient.Driver(regoDriver)}
	name := Name
	if opts.PreferRego {
		drivers[0], drivers[1] = drivers[1], drivers[0]
		name = Name + "-rego"
	}
	c, err := constraintclient.NewClient(append([]constraintclient.Opt{
		constraintclient.Targets(&target.K8sValidationTarget{}),
		constraintclient.EnforcementPoints("gator.gatekeeper.sh"),
	}, drivers...)...)
	if err != nil {
		return nil, err
	}
	e := &Engine{name: name, bundle: b, client: c, rules: map[string]string{}, profile: "unset"}
	for _, u := range b.templates {
		if err := e.addTemplate(ctx, u); err != nil {
			return nil, fmt.Errorf("%s: ConstraintTemplate %s: %w", b.source, u.GetName(), err)
		}
	}
	if e.mutations, err = newMutationSystem(b.assigns); err != nil {
		return nil, fmt.Errorf("%s: %w", b.source, err)
	}
	e.inv = newInventory(c, b.synced)
	if err := e.useProfile(ctx, ""); err != nil {
		return nil, fmt.Errorf("%s: %w", b.source, err)
	}
	return e, nil
}

func (e *Engine) addTemplate(ctx context.Context, u *unstructured.Unstructured) error {
	var v1 templatesv1.ConstraintTemplate
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &v1); err != nil {
		return err
	}
	t, err := v1.ToVersionless()
	if err != nil {
		return err
	}
	if _, err := e.client.AddTemplate(ctx, t); err != nil {
		return err
	}
	rule := u.GetAnnotations()["selmount.io/rule"]
	if _, ok := policies.RuleByID(rule); !ok {
		return fmt.Errorf("annotation selmount.io/rule %q names no rule", rule)
	}
	e.rules[strings.ToLower(t.Spec.CRD.Spec.Names.Kind)] = rule
	return nil
}

// useProfile (re)adds the bundle's constraints with parameters.profile set, as an overlay does for
// a cluster of that release; "" leaves the shipped default (v1.37).
func (e *Engine) useProfile(ctx context.Context, profile string) error {
	if profile == e.profile {
		return nil
	}
	for _, c := range e.bundle.constraints {
		u := c.DeepCopy()
		if profile != "" {
			if err := unstructured.SetNestedField(u.Object, profile, "spec", "parameters", "profile"); err != nil {
				return err
			}
		}
		if _, err := e.client.AddConstraint(ctx, u); err != nil {
			return fmt.Errorf("Constraint %s: %w", u.GetName(), err)
		}
	}
	e.profile = profile
	return nil
}

func (e *Engine) Name() string { return e.name }

// SubjectFirst: audit results in a constraint's status are read out of context, so every message
// names the reviewed object first (rego/lib/selmount/subject.rego and the CEL variable subject).
func (e *Engine) SubjectFirst() bool { return true }

// Rules: every rule; SELINUX-004 is both the Assign mutators and a warning template.
func (e *Engine) Rules() []string { return harness.ClaimedRules() }

// Admit mutates the admitted Pod (or the Pod a workload's controller creates) with the Assign
// mutators, then reviews the object as mutated, as an AdmissionReview, with data.inventory holding
// everything admitted before it.
func (e *Engine) Admit(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	if err := e.useProfile(ctx, a.Scenario.Profile.Name); err != nil {
		return harness.Outcome{}, err
	}
	nsObjects := namespacesOf(a.Prior)
	out := harness.Outcome{}
	if a.Operation == policies.OperationCreate || a.Object.Kind != "Pod" {
		after, changed, err := e.mutate(ctx, a.Object, nsObjects.get(a.Object.Namespace))
		if err != nil {
			return harness.Outcome{}, fmt.Errorf("%s: mutation: %w", a.Object.Source, err)
		}
		if changed {
			obj, err := harness.WithChangePolicy(a.Object, after)
			if err != nil {
				return harness.Outcome{}, err
			}
			out.Object = &obj
		}
	}
	// The review sees the object as the API server stores it: a Pod mutated, a workload as applied
	// (the mutators never match it; out.Object is the Pod its controller creates).
	reviewed := a.Object
	if out.Object != nil && a.Object.Kind == "Pod" {
		reviewed = out.Object
	}
	if err := e.inv.set(ctx, harness.WorkloadsAsApplied(a.Scenario, a.Index, a.Prior)); err != nil {
		return harness.Outcome{}, err
	}
	op := a.Operation
	if a.Object.Kind != "Pod" {
		op = policies.OperationCreate
	}
	state := stateWith(a.Prior, reviewed)
	fs, ev, err := e.reviewAdmission(ctx, reviewed, a.OldObject, op, nsObjects.get(reviewed.Namespace), state)
	out.Findings, out.Evaluated = fs, ev
	return out, err
}

// Audit reviews every Pod and workload against the whole final state, as Gatekeeper's audit does.
func (e *Engine) Audit(ctx context.Context, sc *harness.Scenario, objects []cluster.Object) (harness.Outcome, error) {
	if err := e.useProfile(ctx, sc.Profile.Name); err != nil {
		return harness.Outcome{}, err
	}
	// The model's final state holds workloads mutated; the cluster stores them as applied.
	stored := harness.WorkloadsAsApplied(sc, len(sc.Objects), objects)
	if err := e.inv.set(ctx, stored); err != nil {
		return harness.Outcome{}, err
	}
	nsObjects := namespacesOf(objects)
	state := stateWith(objects, nil)
	out := harness.Outcome{Evaluated: map[string]int{}}
	reviewed, counts := 0, map[string]int{}
	for i := range stored {
		o := &stored[i]
		if cluster.PodFromObject(o) == nil {
			continue
		}
		fs, ev, err := e.reviewAudited(ctx, o, nsObjects.get(o.Namespace), state)
		if err != nil {
			return harness.Outcome{}, err
		}
		out.Findings = append(out.Findings, fs...)
		for r, n := range ev {
			counts[r] += n
		}
		reviewed++
	}
	// The audit is one case per rule, evaluated only when every Pod's review ran the rule.
	for r, n := range counts {
		if n == reviewed {
			out.Evaluated[r] = 1
		}
	}
	return out, nil
}

// objectMap is o as Gatekeeper receives it from the API server: decoded into its type (which drops
// nulls and unknown fields) when selmount knows the kind, with the namespace filled in.
func objectMap(o *cluster.Object) (map[string]any, error) {
	raw := []byte(o.Raw)
	if o.Typed != nil {
		var err error
		if raw, err = json.Marshal(o.Typed); err != nil {
			return nil, fmt.Errorf("%s: %w", o.Source, err)
		}
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", o.Source, err)
	}
	if m == nil {
		return nil, fmt.Errorf("%s: %s is not an object", o.Source, o.ID())
	}
	if o.Namespace != "" {
		if err := unstructured.SetNestedField(m, o.Namespace, "metadata", "namespace"); err != nil {
			return nil, fmt.Errorf("%s: %w", o.Source, err)
		}
	}
	return m, nil
}
