package replay

import (
	"sort"
	"strings"

	"github.com/selmount/selmount/policies"
)

// AuditKeys are findings as "RULE namespace/name", sorted, once each: the unit a controller's audit
// (constraint status, a PolicyReport) is compared with the model's in. The model names a workload
// "Kind/name"; podsOnly drops those, for a controller that audits Pods only.
func AuditKeys(fs []policies.Finding, podsOnly bool) []string {
	set := map[string]bool{}
	for _, f := range fs {
		if podsOnly && strings.Contains(f.Pod.Name, "/") {
			continue
		}
		set[f.Rule+" "+f.Pod.Key()] = true
	}
	return SortedKeys(set)
}

// KeyDifferences lists "missing K" for each wanted key the controller lacks, then "extra K" for each
// it reported beyond them.
func KeyDifferences(got, want []string) []string {
	g, w := map[string]bool{}, map[string]bool{}
	for _, k := range got {
		g[k] = true
	}
	var out []string
	for _, k := range want {
		w[k] = true
		if !g[k] {
			out = append(out, "missing "+k)
		}
	}
	for _, k := range got {
		if !w[k] {
			out = append(out, "extra "+k)
		}
	}
	return out
}

// SortedKeys are a set's members, sorted; never nil, so an empty set is [] in JSON and reports.
func SortedKeys(set map[string]bool) []string {
	out := []string{}
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
