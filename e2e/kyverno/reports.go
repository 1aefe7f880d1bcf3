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
	"k8s.io/client-go/dynamic"
)

// ephemeralReports are the reports Kyverno's admission controller writes per admission
// (--admissionReports); the reports controller aggregates them into PolicyReports.
var ephemeralReports = schema.GroupVersionResource{Group: "reports.kyverno.io", Version: "v1", Resource: "ephemeralreports"}

// vpolLabel prefixes the label an admission report carries per ValidatingPolicy it holds results of.
const vpolLabel = "vpol.kyverno.io/"

// reportTimeout bounds the wait for an admission's report: Kyverno writes it after answering.
const reportTimeout = 10 * time.Second

// Result is one ValidatingPolicy's answer in an admission report.
type Result struct {
	Policy, Result, Message string
	Findings                [][]string // the policy's findings annotation: [rule, severity, ...] each
}

// admissionReports lists the ValidatingPolicy admission reports about the Pod of uid in ns.
func admissionReports(ctx context.Context, d dynamic.Interface, ns, uid string) ([]unstructured.Unstructured, error) {
	l, err := d.Resource(ephemeralReports).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: "audit.kyverno.io/resource.uid=" + uid})
	if err != nil {
		return nil, err
	}
	var out []unstructured.Unstructured
	for _, r := range l.Items {
		for k := range r.GetLabels() {
			if strings.HasPrefix(k, vpolLabel) {
				out = append(out, r)
				break
			}
		}
	}
	return out, nil
}

// ReportNames are the names of the admission reports about the Pod of uid in ns, to tell the next
// one apart.
func ReportNames(ctx context.Context, d dynamic.Interface, ns, uid string) (map[string]bool, error) {
	rs, err := admissionReports(ctx, d, ns, uid)
	names := map[string]bool{}
	for _, r := range rs {
		names[r.GetName()] = true
	}
	return names, err
}

// WaitReport returns the results of an admission report about the Pod of uid that is not in seen,
// or an error after reportTimeout.
func WaitReport(ctx context.Context, d dynamic.Interface, ns, uid string, seen map[string]bool) ([]Result, error) {
	deadline := time.Now().Add(reportTimeout)
	for {
		rs, err := admissionReports(ctx, d, ns, uid)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if !seen[r.GetName()] {
				return results(r)
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("no admission report about Pod %s in %s after %s", uid, ns, reportTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// results reads a report's spec.results.
func results(r unstructured.Unstructured) ([]Result, error) {
	raw, _, _ := unstructured.NestedSlice(r.Object, "spec", "results")
	var out []Result
	for _, x := range raw {
		m, _ := x.(map[string]any)
		res := Result{Policy: str(m["policy"]), Result: str(m["result"]), Message: str(m["message"])}
		props, _ := m["properties"].(map[string]any)
		if f := str(props["findings"]); f != "" {
			if err := json.Unmarshal([]byte(f), &res.Findings); err != nil {
				return nil, fmt.Errorf("report %s, policy %s: findings %q: %v", r.GetName(), res.Policy, f, err)
			}
		}
		out = append(out, res)
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
