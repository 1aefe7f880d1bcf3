package gatekeeper

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/policies"
)

// auditInterval is the manager's --audit-interval (seconds) for the audit comparison: the replay
// waits for one audit that starts after a scenario's last write, so each scenario costs about one.
const auditInterval = 1

// auditTimeout bounds the wait for that audit.
const auditTimeout = 30 * time.Second

// violationsLimit is the manager's --constraint-violations-limit: above the most violations a
// scenario has, so that status lists every one (totalViolations is checked against the list).
const violationsLimit = 500

// constraintsGroup is where Gatekeeper creates a CRD per constraint template.
const constraintsGroup = "constraints.gatekeeper.sh"

// barrierKind is the test-only constraint (testdata/barrier-*.yaml); its status is not selmount's.
const barrierKind = "SelmountE2EBarrier"

// auditedRule finds the rule an audit violation's message is about: selmount's messages start with it.
var auditedRule = regexp.MustCompile(`^(SELINUX-[0-9]{3})\b`)

// AuditResult compares Gatekeeper's audit of one scenario's final state, read from constraint
// status, with the model's audit of the same objects read back from the server.
type AuditResult struct {
	Scenario string
	// Got and Want are "RULE namespace/name", sorted, once each.
	Got, Want   []string
	Differences []string
	Known       string
}

// Violation is one entry of a constraint's status.violations.
type Violation struct {
	Constraint, Kind, Namespace, Name, Message string
}

// Key is "RULE namespace/name", the unit both audits are compared in: the model names a Pod by its
// name and a workload "Kind/name"; several findings of a rule on one object are one key.
func (v Violation) Key() (string, error) {
	m := auditedRule.FindStringSubmatch(v.Message)
	if m == nil {
		return "", fmt.Errorf("constraint %s: violation on %s %s/%s names no rule: %q", v.Constraint, v.Kind, v.Namespace, v.Name, v.Message)
	}
	name := v.Name
	if v.Kind != "Pod" {
		name = v.Kind + "/" + v.Name
	}
	return m[1] + " " + v.Namespace + "/" + name, nil
}

// constraintKinds are the selmount constraint resources the installed templates created.
func constraintKinds(ctx context.Context, c *replay.Clients) ([]schema.GroupVersionResource, error) {
	l, err := c.Typed.Discovery().ServerResourcesForGroupVersion(constraintsGroup + "/v1beta1")
	if err != nil {
		return nil, fmt.Errorf("constraint kinds: %v", err)
	}
	var out []schema.GroupVersionResource
	for _, r := range l.APIResources {
		if strings.Contains(r.Name, "/") || r.Kind == barrierKind {
			continue
		}
		out = append(out, schema.GroupVersionResource{Group: constraintsGroup, Version: "v1beta1", Resource: r.Name})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no constraint kind in %s", constraintsGroup)
	}
	return out, ctx.Err()
}

// WaitAudit waits until every selmount constraint carries the status of an audit that started after
// since, and returns their violations. An audit that listed fewer violations than it counted is an
// error: the comparison would be of a truncated list.
func WaitAudit(ctx context.Context, c *replay.Clients, since time.Time) ([]Violation, error) {
	kinds, err := constraintKinds(ctx, c)
	if err != nil {
		return nil, err
	}
	vs, err := replay.WaitFresh(ctx, auditTimeout, 200*time.Millisecond, func() ([]Violation, string, error) {
		return readAudit(ctx, c, kinds, since)
	})
	if err != nil {
		return nil, fmt.Errorf("no audit after %s: %v", since.Format(time.RFC3339), err)
	}
	return vs, nil
}

// readAudit reads every constraint's status; stale names one whose audit started before since.
func readAudit(ctx context.Context, c *replay.Clients, kinds []schema.GroupVersionResource, since time.Time) (vs []Violation, stale string, err error) {
	for _, k := range kinds {
		l, err := c.Dynamic.Resource(k).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, "", fmt.Errorf("list %s: %v", k.Resource, err)
		}
		for i := range l.Items {
			got, fresh, err := constraintViolations(&l.Items[i], since)
			if err != nil {
				return nil, "", err
			}
			if !fresh {
				return nil, k.Resource + "/" + l.Items[i].GetName(), nil
			}
			vs = append(vs, got...)
		}
	}
	return vs, "", nil
}

// constraintViolations reads one constraint's audit status; fresh is false while its last audit
// started at or before since (auditTimestamp has whole seconds: a later second is a later audit).
func constraintViolations(u *unstructured.Unstructured, since time.Time) (vs []Violation, fresh bool, err error) {
	ts, _, _ := unstructured.NestedString(u.Object, "status", "auditTimestamp")
	if ts == "" {
		return nil, false, nil
	}
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return nil, false, fmt.Errorf("constraint %s: auditTimestamp %q: %v", u.GetName(), ts, err)
	}
	if !at.After(since) {
		return nil, false, nil
	}
	total, _, _ := unstructured.NestedInt64(u.Object, "status", "totalViolations")
	raw, _, _ := unstructured.NestedSlice(u.Object, "status", "violations")
	if int64(len(raw)) != total {
		return nil, false, fmt.Errorf("constraint %s: status lists %d of %d violations (raise --constraint-violations-limit)", u.GetName(), len(raw), total)
	}
	for _, x := range raw {
		m, _ := x.(map[string]any)
		vs = append(vs, Violation{Constraint: u.GetName(), Kind: text(m["kind"]), Namespace: text(m["namespace"]), Name: text(m["name"]), Message: text(m["message"])})
	}
	return vs, true, nil
}

func text(v any) string {
	s, _ := v.(string)
	return s
}

// CompareAudit sets Gatekeeper's violations next to the model's audit of the same objects.
func CompareAudit(scenario string, vs []Violation, model []policies.Finding) (AuditResult, error) {
	r := AuditResult{Scenario: scenario, Want: replay.AuditKeys(model, false)}
	set := map[string]bool{}
	for _, v := range vs {
		k, err := v.Key()
		if err != nil {
			return r, err
		}
		set[k] = true
	}
	r.Got = replay.SortedKeys(set)
	r.Differences = replay.KeyDifferences(r.Got, r.Want)
	return r, nil
}
