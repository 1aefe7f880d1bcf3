package kyverno

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func reportWith(results ...map[string]any) *unstructured.Unstructured {
	var rs []any
	for _, r := range results {
		rs = append(rs, r)
	}
	return &unstructured.Unstructured{Object: map[string]any{"results": rs}}
}

func result(policy, res string, seconds int64, findings string) map[string]any {
	m := map[string]any{"policy": policy, "result": res, "timestamp": map[string]any{"seconds": seconds}}
	if findings != "" {
		m["properties"] = map[string]any{"findings": findings}
	}
	return m
}

func TestReportRules(t *testing.T) {
	since := time.Unix(1000, 500e6)
	ours := map[string]bool{"selmount-a": true, "selmount-b": true}
	cases := []struct {
		name   string
		report *unstructured.Unstructured
		rules  []string
		fresh  bool
		err    string
	}{
		{"a later scan", reportWith(result("selmount-a", "fail", 1001, `[["SELINUX-006","error"]]`), result("selmount-b", "pass", 1001, "[]")), []string{"SELINUX-006"}, true, ""},
		{"a result of since's second", reportWith(result("selmount-a", "pass", 1001, ""), result("selmount-b", "pass", 1000, "")), nil, false, ""},
		{"another policy's old result", reportWith(result("other", "pass", 1, ""), result("selmount-a", "pass", 1002, "")), nil, true, ""},
		{"no result of ours yet", reportWith(result("other", "pass", 1002, "")), nil, false, ""},
		{"a failure without findings", reportWith(result("selmount-a", "fail", 1002, "[]")), nil, false, "fail"},
		{"a finding naming no rule", reportWith(result("selmount-a", "fail", 1002, `[["x"]]`)), nil, false, "names no rule"},
	}
	for _, c := range cases {
		rules, fresh, err := reportRules(c.report, ours, since)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one with %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || fresh != c.fresh || (fresh && !reflect.DeepEqual(rules, c.rules)) {
			t.Errorf("%s: %v %v %v, want %v %v", c.name, rules, fresh, err, c.rules, c.fresh)
		}
	}
}
