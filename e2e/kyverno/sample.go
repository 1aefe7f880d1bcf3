package kyverno

import (
	"context"
	"strings"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// AuditSample picks the scenarios whose PolicyReports are compared: for each rule, the first
// scenario (in scs's order) whose model audit reports it on a Pod, and the first that reports
// nothing. Every scenario costs at least 40 s there, fixed delays in Kyverno's reports controller
// (a new Pod's first background scan waits 30 s, aggregation 10 s), so all of them would take an
// hour; the admission of every scenario is compared in the other passes.
func AuditSample(ctx context.Context, scs []*harness.Scenario) ([]*harness.Scenario, error) {
	wanted := map[string]bool{"": true}
	for _, r := range policies.Catalogue() {
		wanted[r.ID] = true
	}
	var out []*harness.Scenario
	for _, sc := range scs {
		model, err := harness.Run(ctx, harness.ModelEngine{}, sc)
		if err != nil {
			return nil, err
		}
		rules := map[string]bool{}
		for _, f := range model.ModelAudit.Findings {
			if !strings.Contains(f.Pod.Name, "/") { // a workload's findings: Kyverno audits Pods
				rules[f.Rule] = true
			}
		}
		if len(rules) == 0 {
			rules[""] = true
		}
		picked := false
		for r := range rules {
			if wanted[r] {
				delete(wanted, r)
				picked = true
			}
		}
		if picked {
			out = append(out, sc)
		}
	}
	return out, nil
}
