package kyverno

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/selmount/selmount/e2e/replay"
)

// policyReports are what the reports controller aggregates admission and background results into:
// one PolicyReport per resource, in its namespace (--openreportsEnabled=false, the release's choice).
var policyReports = schema.GroupVersionResource{Group: "wgpolicyk8s.io", Version: "v1alpha2", Resource: "policyreports"}

// validatingPolicies are the bundle's ValidatingPolicies; their results are the audit.
var validatingPolicies = schema.GroupVersionResource{Group: "policies.kyverno.io", Version: "v1", Resource: "validatingpolicies"}

// policyReportTimeout bounds the wait for every Pod's report to show a background scan of the final
// state: the scan interval, the aggregation, and a loaded machine.
const policyReportTimeout = 60 * time.Second

// AuditResult compares the PolicyReports of one scenario's final state with the model's audit of
// the server's Pods.
type AuditResult struct {
	// Got and Want are "RULE namespace/name", sorted, once each.
	Got         []string `json:"got"`
	Want        []string `json:"want"`
	Differences []string `json:"differences,omitempty"`
}

// WaitPolicyReports waits until every Pod outside Kyverno's namespace has a PolicyReport whose
// results of selmount's ValidatingPolicies all come from scans after since, and returns the keys of
// their failed results' findings, sorted.
func WaitPolicyReports(ctx context.Context, c *replay.Clients, since time.Time) ([]string, error) {
	pols, err := c.Dynamic.Resource(validatingPolicies).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, p := range pols.Items {
		names[p.GetName()] = true
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no ValidatingPolicy installed")
	}
	keys, err := replay.WaitFresh(ctx, policyReportTimeout, 250*time.Millisecond, func() ([]string, string, error) {
		return readPolicyReports(ctx, c, names, since)
	})
	if err != nil {
		return nil, fmt.Errorf("no background scan after %s: %v", since.Format(time.RFC3339), err)
	}
	return keys, nil
}

// readPolicyReports reads the reports of every Pod; stale names a Pod whose report is missing or
// holds a result from before since.
func readPolicyReports(ctx context.Context, c *replay.Clients, names map[string]bool, since time.Time) (keys []string, stale string, err error) {
	pods, err := c.Typed.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, "", err
	}
	reports, err := c.Dynamic.Resource(policyReports).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, "", err
	}
	byUID := map[string]*unstructured.Unstructured{}
	for i := range reports.Items {
		uid, _, _ := unstructured.NestedString(reports.Items[i].Object, "scope", "uid")
		byUID[uid] = &reports.Items[i]
	}
	set := map[string]bool{}
	for _, p := range pods.Items {
		if p.Namespace == Namespace {
			continue
		}
		r := byUID[string(p.UID)]
		if r == nil {
			return nil, "Pod " + p.Namespace + "/" + p.Name + " has no PolicyReport", nil
		}
		rules, fresh, err := reportRules(r, names, since)
		if err != nil {
			return nil, "", fmt.Errorf("Pod %s/%s: %v", p.Namespace, p.Name, err)
		}
		if !fresh {
			return nil, "Pod " + p.Namespace + "/" + p.Name + "'s PolicyReport has results from before", nil
		}
		for _, rule := range rules {
			set[rule+" "+p.Namespace+"/"+p.Name] = true
		}
	}
	return replay.SortedKeys(set), "", nil
}

// reportRules are the rules of the findings in a report's failed results of the named policies;
// fresh is false while any of those results (or none at all) is older than since. A result's
// timestamp has whole seconds: a later second is a later scan.
func reportRules(r *unstructured.Unstructured, names map[string]bool, since time.Time) (rules []string, fresh bool, err error) {
	raw, _, _ := unstructured.NestedSlice(r.Object, "results")
	seen := 0
	for _, x := range raw {
		m, _ := x.(map[string]any)
		if !names[str(m["policy"])] {
			continue
		}
		seen++
		ts, _ := m["timestamp"].(map[string]any)
		secs, _ := ts["seconds"].(int64)
		if secs <= since.Unix() {
			return nil, false, nil
		}
		props, _ := m["properties"].(map[string]any)
		var fs [][]string
		if findings := str(props["findings"]); findings != "" {
			if err := json.Unmarshal([]byte(findings), &fs); err != nil {
				return nil, false, fmt.Errorf("policy %s: findings %q: %v", str(m["policy"]), findings, err)
			}
		}
		if (str(m["result"]) == "fail") != (len(fs) > 0) {
			return nil, false, fmt.Errorf("policy %s: result %q with %d findings", str(m["policy"]), str(m["result"]), len(fs))
		}
		for _, f := range fs {
			if len(f) == 0 || !strings.HasPrefix(f[0], "SELINUX-") {
				return nil, false, fmt.Errorf("policy %s: finding %q names no rule", str(m["policy"]), f)
			}
			rules = append(rules, f[0])
		}
	}
	return rules, seen > 0, nil
}
