package kyverno

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/selmount/selmount/e2e/cluster"
	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

func TestAuditSampleHasEveryRule(t *testing.T) {
	mod, err := cluster.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	all, err := harness.LoadScenarios(filepath.Join(filepath.Dir(mod), "harness", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	var scs []*harness.Scenario
	for _, sc := range all {
		if sc.Profile.Name == replayedProfile {
			scs = append(scs, sc)
		}
	}
	sample, err := AuditSample(context.Background(), scs)
	if err != nil {
		t.Fatal(err)
	}
	rules, clean := map[string]bool{}, false
	for _, sc := range sample {
		r, err := harness.Run(context.Background(), harness.ModelEngine{}, sc)
		if err != nil {
			t.Fatal(err)
		}
		clean = clean || len(r.ModelAudit.Findings) == 0
		for _, f := range r.ModelAudit.Findings {
			rules[f.Rule] = true
		}
	}
	for _, r := range policies.Catalogue() {
		if !rules[r.ID] {
			t.Errorf("no sampled scenario reports %s", r.ID)
		}
	}
	if !clean {
		t.Error("no sampled scenario reports nothing")
	}
	if len(sample) > len(policies.Catalogue())+1 {
		t.Errorf("%d scenarios sampled, more than one per rule and one clean", len(sample))
	}
	t.Logf("sample: %d of %d", len(sample), len(scs))
}
