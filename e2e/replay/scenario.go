package replay

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// PodResult compares one Pod or workload admission on the real server with the model.
type PodResult struct {
	Pod       string `json:"pod"` // the model's key: "ns/name", "ns/Deployment/name"
	Operation string `json:"operation"`
	// Sent names what reached admission: the Pod, or a workload's controller-made Pod.
	Sent              string   `json:"sent"`
	Accepted          bool     `json:"accepted"`
	Refusal           string   `json:"refusal,omitempty"`
	ChangePolicy      string   `json:"changePolicy"`
	ModelChangePolicy string   `json:"modelChangePolicy"`
	Rules             []string `json:"rules"`      // "rule/severity" from the server's warnings or refusal
	ModelRules        []string `json:"modelRules"` // the model's findings on map/'s rules
	ModelRefuses      bool     `json:"modelRefuses"`
	// The request's audit event: the policies that published evaluated, next to those whose
	// matchConstraints match it, and the audited rules, next to the model's.
	Evaluated       []string `json:"evaluated"`
	ModelEvaluated  []string `json:"modelEvaluated"`
	AuditRules      []string `json:"auditRules"`
	ModelAuditRules []string `json:"modelAuditRules"`
	Differences     []string `json:"differences,omitempty"`
	// Texts are the server's warnings and refusal as sent, for diagnosing a difference.
	Texts []string `json:"-"`
}

// ScenarioResult is one scenario replayed on one server.
type ScenarioResult struct {
	Name    string      `json:"name"`
	Version string      `json:"version"`
	Bundle  string      `json:"bundle"`
	Pods    []PodResult `json:"pods"`
	// Refused are other objects the server refused (the scenario is then not what it says).
	Refused []string `json:"refused,omitempty"`
}

// Agrees is true when no Pod differs and every object was accepted.
func (s ScenarioResult) Agrees() bool {
	if len(s.Refused) > 0 {
		return false
	}
	for _, p := range s.Pods {
		if len(p.Differences) > 0 {
			return false
		}
	}
	return true
}

// Scenario replays sc on the server behind c (with the bundle already installed), compares each
// admission with the model's and deletes everything it created. denies is true with overlays/deny,
// where SELINUX-003 and SELINUX-005 errors are refused.
func (c *Clients) Scenario(ctx context.Context, sc *harness.Scenario, version, bundle string, denies bool) (ScenarioResult, error) {
	res := ScenarioResult{Name: sc.Name, Version: version, Bundle: bundle}
	model, err := harness.Run(ctx, harness.ModelEngine{}, sc)
	if err != nil {
		return res, err
	}
	admits := map[int]harness.AdmitCase{}
	for _, a := range model.Admits {
		admits[a.Index] = a
	}
	var created []*unstructured.Unstructured
	defer func() {
		if cerr := c.Cleanup(context.WithoutCancel(ctx), created); cerr != nil && err == nil {
			err = cerr
		}
	}()
	missing, err := c.createNamespaces(ctx, missingNamespaces(sc.Objects))
	created = append(created, missing...)
	if err != nil {
		return res, err
	}
	seen := map[string]bool{}
	for i := range sc.Objects {
		o := &sc.Objects[i]
		obj, err := Unstructured(o)
		if err != nil {
			return res, err
		}
		id := o.Identity()
		if _, ok := admits[i]; ok && c.Webhook != "" {
			// The webhook reads the claims as a live cluster's: bound, as the controllers would have.
			made, err := c.bindClaims(ctx)
			created = append(created, made...)
			if err != nil {
				return res, fmt.Errorf("%s: %v", o.ID(), err)
			}
		}
		var sent Sent
		what := o.ID()
		if a, ok := admits[i]; ok && a.Request.Subresource == harness.SubresourceEphemeralContainers {
			c.settle(ctx, a, denies, func(dry bool) Sent { return c.sendDebug(ctx, obj, dry) })
			sent, what = c.SendDebug(ctx, obj), what+" (PATCH pods/ephemeralcontainers, as kubectl debug sends it)"
		} else {
			if a, ok := admits[i]; ok && o.Kind == "Pod" {
				update := seen[id]
				c.settle(ctx, a, denies, func(dry bool) Sent { return c.send(ctx, obj, update, dry) })
			}
			sent = c.Send(ctx, obj, seen[id])
		}
		if sent.Object != nil && !seen[id] {
			created = append(created, sent.Object)
		}
		seen[id] = seen[id] || sent.Object != nil
		a, isAdmission := admits[i]
		if !isAdmission {
			if sent.Err != nil {
				res.Refused = append(res.Refused, fmt.Sprintf("%s: %v", o.ID(), sent.Err))
			}
			continue
		}
		if o.Kind != "Pod" {
			// The policies match Pods only: the workload itself is admitted silently, its Pods are checked.
			if sent.Err != nil {
				res.Refused = append(res.Refused, fmt.Sprintf("%s: %v", o.ID(), sent.Err))
				continue
			}
			if a.Operation != policies.OperationCreate {
				continue // a rollout makes new Pods; the first one was compared already
			}
			pod, err := ControllerPod(o)
			if err != nil {
				return res, err
			}
			what = "Pod " + pod.GetNamespace() + "/" + pod.GetName() + " (from " + o.Kind + " " + o.Name + ")"
			c.settle(ctx, a, denies, func(dry bool) Sent { return c.send(ctx, pod, false, dry) })
			sent = c.Send(ctx, pod, false)
			if sent.Object != nil {
				created = append(created, sent.Object)
			}
		}
		r, err := c.comparePod(ctx, a, what, sent, denies)
		if err != nil {
			return res, fmt.Errorf("%s: %v", what, err)
		}
		res.Pods = append(res.Pods, r)
	}
	return res, err
}

// compare sets out what the server did next to what the model says.
func compare(a harness.AdmitCase, sent string, s Sent, denies bool) PodResult {
	r := answers(a, sent, s, denies, RulesOfFindings(a.Model.Findings))
	r.Rules = RulesOfMessages(r.Texts...)
	r.differ()
	return r
}

// answers is the server's answer and the model's, before their rules are compared.
func answers(a harness.AdmitCase, sent string, s Sent, denies bool, modelRules []string) PodResult {
	r := PodResult{Pod: a.Pod, Operation: a.Operation, Sent: sent, Accepted: s.Err == nil, ModelRules: modelRules}
	if cp := a.Model.Pod.ChangePolicy(); cp != nil && storesChangePolicy(a.Request) {
		r.ModelChangePolicy = string(*cp)
	}
	for _, rule := range modelRules {
		if rule == policies.RuleMisuse+"/"+policies.SeverityError || (denies && strings.HasSuffix(rule, "/"+policies.SeverityError)) {
			r.ModelRefuses = true
		}
	}
	r.Texts = append([]string{}, s.Warnings...)
	if s.Err != nil {
		r.Refusal = s.Err.Error()
		r.Texts = append(r.Texts, r.Refusal)
	} else {
		r.ChangePolicy, _, _ = unstructured.NestedString(s.Object.Object, "spec", "securityContext", "seLinuxChangePolicy")
	}
	return r
}

// differ lists where the server and the model part.
func (r *PodResult) differ() {
	switch {
	case r.Accepted != !r.ModelRefuses:
		r.Differences = append(r.Differences, fmt.Sprintf("accepted: server %v, model %v", r.Accepted, !r.ModelRefuses))
	case !r.Accepted:
		// Both refuse: the server's own validation speaks first, so no policy message need come back.
	default:
		if r.ChangePolicy != r.ModelChangePolicy {
			r.Differences = append(r.Differences, fmt.Sprintf("seLinuxChangePolicy: server %q, model %q", r.ChangePolicy, r.ModelChangePolicy))
		}
		if !reflect.DeepEqual(r.Rules, r.ModelRules) {
			r.Differences = append(r.Differences, fmt.Sprintf("rules: server %v, model %v", r.Rules, r.ModelRules))
		}
	}
}

// storesChangePolicy tells whether the server keeps the admitted Pod's seLinuxChangePolicy: the
// model's admission result is what admission passes on, and the API server may drop the field after
// it (the ChangePolicy gate off), which is what a read of the stored Pod shows.
func storesChangePolicy(req harness.Admission) bool {
	if req.Scenario == nil {
		return true
	}
	oldHasPolicy := false
	if req.OldObject != nil {
		if old := cluster.PodFromObject(req.OldObject); old != nil {
			oldHasPolicy = old.ChangePolicy() != nil
		}
	}
	return req.Scenario.Profile.StoresChangePolicy(oldHasPolicy)
}
