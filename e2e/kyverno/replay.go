package kyverno

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// PodResult is one Pod admission through Kyverno next to the model's.
type PodResult struct {
	Pod       string `json:"pod"`
	Operation string `json:"operation"`
	Sent      string `json:"sent"`
	Accepted  bool   `json:"accepted"`
	Refusal   string `json:"refusal,omitempty"`
	// Rules are "rule/severity" from Kyverno's admission report (Audit), or the rule IDs of its
	// refusal (Deny: the message names rules, not severities); ModelRules likewise from the model.
	Rules             []string `json:"rules"`
	ModelRules        []string `json:"modelRules"`
	ModelRefuses      bool     `json:"modelRefuses"`
	ChangePolicy      string   `json:"changePolicy"`
	ModelChangePolicy string   `json:"modelChangePolicy"`
	// AfterRefusal is set when an earlier object of the scenario was refused here: the model's
	// cluster still holds it, so cross-Pod rules cannot be compared from then on.
	AfterRefusal bool `json:"afterRefusal,omitempty"`
	// PendingClaims are the Pod's claims the server held as Pending when it was admitted.
	PendingClaims []string `json:"pendingClaims,omitempty"`
	Differences   []string `json:"differences,omitempty"`
}

// ScenarioResult is one scenario replayed through Kyverno with one bundle.
type ScenarioResult struct {
	Name    string      `json:"name"`
	Bundle  string      `json:"bundle"`
	Pods    []PodResult `json:"pods"`
	Refused []string    `json:"refused,omitempty"` // objects other than the compared Pods
	// Audit compares the PolicyReports of the final state with the model's audit (Audit bundles).
	Audit *AuditResult `json:"audit,omitempty"`
}

// Replay sends sc's objects to the server (the bundle installed, Kyverno running) in order and
// compares each Pod admission with the model. enforce is overlays/enforce (Deny). With audit (the
// reports controller running), it then waits for a background scan of the final state and compares
// the PolicyReports with the model's audit of the Pods the server holds.
func Replay(ctx context.Context, c *replay.Clients, sc *harness.Scenario, bundle string, enforce, audit bool) (res ScenarioResult, err error) {
	res = ScenarioResult{Name: sc.Name, Bundle: bundle}
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
	made, err := c.CreateMissingNamespaces(ctx, sc.Objects)
	created = append(created, made...)
	if err != nil {
		return res, err
	}
	seen, uids := map[string]bool{}, map[string]string{}
	refusedEarlier := false
	var lastPod time.Time
	for i := range sc.Objects {
		o := &sc.Objects[i]
		obj, err := replay.Unstructured(o)
		if err != nil {
			return res, err
		}
		id := o.Identity()
		a, isAdmission := admits[i]
		what := o.ID()
		var before map[string]bool
		if isAdmission && o.Kind == "Pod" && seen[id] && !audit {
			if before, err = ReportNames(ctx, c.Dynamic, namespaceOr(o.Namespace), uids[id]); err != nil {
				return res, err
			}
		}
		if isAdmission {
			made, err := replay.BindClaims(ctx, c.Typed)
			created = append(created, made...)
			if err != nil {
				return res, err
			}
		}
		if isAdmission && o.Kind == "Pod" && !seen[id] {
			nextSecond(lastPod)
		}
		var sent replay.Sent
		if isAdmission && a.Request.Subresource == harness.SubresourceEphemeralContainers {
			sent, what = c.SendDebug(ctx, obj), what+" (PATCH pods/ephemeralcontainers)"
		} else {
			sent = c.Send(ctx, obj, seen[id])
		}
		if isAdmission && o.Kind == "Pod" && !seen[id] {
			lastPod = time.Now() // the creation is stamped before this
		}
		if sent.Object != nil && !seen[id] {
			created = append(created, sent.Object)
			uids[id] = string(sent.Object.GetUID())
		}
		seen[id] = seen[id] || sent.Object != nil
		if !isAdmission || o.Kind != "Pod" {
			if sent.Err != nil {
				res.Refused = append(res.Refused, fmt.Sprintf("%s: %v", o.ID(), sent.Err))
				refusedEarlier = true
				continue
			}
			if !isAdmission || a.Operation != policies.OperationCreate {
				continue
			}
			// The policies match Pods only: a workload is judged as the Pod its controller creates.
			pod, err := replay.ControllerPod(o)
			if err != nil {
				return res, err
			}
			what = "Pod " + pod.GetNamespace() + "/" + pod.GetName() + " (from " + o.Kind + " " + o.Name + ")"
			nextSecond(lastPod)
			sent = c.Send(ctx, pod, false)
			lastPod = time.Now()
			if sent.Object != nil {
				created = append(created, sent.Object)
			}
			before = nil
		}
		r := compare(a, what, sent, enforce)
		r.AfterRefusal = refusedEarlier
		if r.PendingClaims, err = pendingOf(ctx, c, obj, sent); err != nil {
			return res, err
		}
		// With the reports controller running (audit) the admission report is aggregated away.
		if sent.Err == nil && !enforce && !audit {
			results, err := WaitReport(ctx, c.Dynamic, sent.Object.GetNamespace(), string(sent.Object.GetUID()), before)
			if err != nil {
				r.Differences = append(r.Differences, err.Error())
			} else {
				r.Rules = rulesOfResults(results, &r.Differences)
				if !reflect.DeepEqual(r.Rules, r.ModelRules) {
					r.Differences = append(r.Differences, fmt.Sprintf("rules: Kyverno %v, model %v", r.Rules, r.ModelRules))
				}
			}
		}
		refusedEarlier = refusedEarlier || sent.Err != nil
		res.Pods = append(res.Pods, r)
	}
	if audit {
		a, err := auditFinal(ctx, c, sc)
		if err != nil {
			return res, fmt.Errorf("audit: %v", err)
		}
		res.Audit = &a
	}
	return res, nil
}

// auditFinal waits for every Pod's PolicyReport to show a background scan that began after the
// scenario's last write and compares the failed results with the model's audit of the server's
// Pods (the policies match Pods only, and their lookups read no workload).
func auditFinal(ctx context.Context, c *replay.Clients, sc *harness.Scenario) (AuditResult, error) {
	since := time.Now()
	got, err := WaitPolicyReports(ctx, c, since)
	if err != nil {
		return AuditResult{}, err
	}
	model, err := c.ModelAuditOfServer(ctx, sc.Profile, sc.OptOut, true)
	if err != nil {
		return AuditResult{}, err
	}
	a := AuditResult{Got: got, Want: replay.AuditKeys(model.Findings, true)}
	a.Differences = replay.KeyDifferences(a.Got, a.Want)
	return a, nil
}

// compare sets out acceptance, the mutation and (Deny) the refusal's rules next to the model's.
func compare(a harness.AdmitCase, what string, s replay.Sent, enforce bool) PodResult {
	r := PodResult{Pod: a.Pod, Operation: a.Operation, Sent: what, Accepted: s.Err == nil, Rules: []string{}}
	if cp := a.Model.Pod.ChangePolicy(); cp != nil {
		r.ModelChangePolicy = string(*cp)
	}
	r.ModelRules = modelRules(a.Model.Findings, enforce)
	serverRefuses := false
	for _, f := range a.Model.Findings {
		// The API server refuses a misused seLinuxChangePolicy itself; Deny refuses any finding.
		serverRefuses = serverRefuses || f.Rule == policies.RuleMisuse && f.Severity == policies.SeverityError
		r.ModelRefuses = r.ModelRefuses || enforce || serverRefuses
	}
	if s.Err != nil {
		r.Refusal = s.Err.Error()
		if enforce {
			r.Rules = ruleIDs(r.Refusal)
		}
	} else {
		r.ChangePolicy, _, _ = unstructured.NestedString(s.Object.Object, "spec", "securityContext", "seLinuxChangePolicy")
	}
	switch {
	case r.Accepted != !r.ModelRefuses:
		r.Differences = append(r.Differences, fmt.Sprintf("accepted: server %v, model %v", r.Accepted, !r.ModelRefuses))
	case !r.Accepted && serverRefuses:
		// Both refuse, and the server's own validation speaks first: no policy message need come back.
	case !r.Accepted && enforce && !reflect.DeepEqual(r.Rules, r.ModelRules):
		r.Differences = append(r.Differences, fmt.Sprintf("refusal rules: Kyverno %v, model %v", r.Rules, r.ModelRules))
	case r.Accepted && r.ChangePolicy != r.ModelChangePolicy:
		r.Differences = append(r.Differences, fmt.Sprintf("seLinuxChangePolicy: server %q, model %q", r.ChangePolicy, r.ModelChangePolicy))
	}
	return r
}

// modelRules are the model's findings as "rule/severity", or rule IDs only for a Deny refusal.
func modelRules(fs []policies.Finding, idsOnly bool) []string {
	set := map[string]bool{}
	for _, f := range fs {
		if idsOnly {
			set[f.Rule] = true
		} else {
			set[f.Rule+"/"+f.Severity] = true
		}
	}
	return replay.SortedKeys(set)
}

var ruleID = regexp.MustCompile(`SELINUX-00[0-9]`)

// ruleIDs are the rule IDs a refusal names, sorted, once each.
func ruleIDs(msg string) []string {
	set := map[string]bool{}
	for _, m := range ruleID.FindAllString(msg, -1) {
		set[m] = true
	}
	return replay.SortedKeys(set)
}

// rulesOfResults reads "rule/severity" from the failed results' findings; a failed result without
// findings, or a passed one with some, is a difference of its own.
func rulesOfResults(rs []Result, diffs *[]string) []string {
	set := map[string]bool{}
	for _, r := range rs {
		if (r.Result == "fail") != (len(r.Findings) > 0) {
			*diffs = append(*diffs, fmt.Sprintf("policy %s: %s with %d findings", r.Policy, r.Result, len(r.Findings)))
		}
		for _, f := range r.Findings {
			if len(f) >= 2 {
				set[f[0]+"/"+f[1]] = true
			}
		}
	}
	return replay.SortedKeys(set)
}

func namespaceOr(ns string) string {
	if ns == "" {
		return "default"
	}
	return ns
}

// pendingOf are the Pending claims of the Pod that was sent (as stored, or as sent when refused).
func pendingOf(ctx context.Context, c *replay.Clients, sentObj *unstructured.Unstructured, s replay.Sent) ([]string, error) {
	u := sentObj
	if s.Object != nil {
		u = s.Object
	}
	if u.GetKind() != "Pod" {
		return nil, nil
	}
	var pod corev1.Pod
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &pod); err != nil {
		return nil, err
	}
	if pod.Namespace == "" {
		pod.Namespace = "default"
	}
	return PendingClaims(ctx, c.Typed, &pod)
}

// nextSecond waits, when the last Pod was created (last: when its create returned) in the current
// second, until the next one. The API server stamps creationTimestamp in whole seconds, and the
// policies order stored Pods by it, then by name: a Pod being created counts as the latest whatever
// its second, but two stored Pods created in one second tie when a later admission compares them
// (which of them holds a volume on a node; a debug container's UPDATE), and the order the model
// follows (creation) would be lost (kyverno/README.md).
func nextSecond(last time.Time) {
	now := time.Now()
	if now.Truncate(time.Second).Equal(last.Truncate(time.Second)) {
		time.Sleep(now.Truncate(time.Second).Add(time.Second + 10*time.Millisecond).Sub(now))
	}
}
