package harness

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func TestClaimedRulesAreTheCatalogueMinusOmissions(t *testing.T) {
	got := ClaimedRules(Omission{policies.RuleOptOut, "cannot mutate"})
	require.Len(t, got, len(policies.Catalogue())-1)
	require.NotContains(t, got, policies.RuleOptOut)
	require.Panics(t, func() { ClaimedRules(Omission{"SELINUX-098", "stale"}) })
	require.Panics(t, func() { ClaimedRules(Omission{policies.RuleOptOut, ""}) })
}

// A rule added to the catalogue is claimed by every engine that does not omit it; an engine that
// does not evaluate it then fails the coverage check with the rule named, on every replay.
func TestANewRuleFailsEveryEngineThatIgnoresIt(t *testing.T) {
	fake := append(policies.Catalogue(), policies.Rule{ID: "SELINUX-099"})
	claimed := claimedFrom(fake, []Omission{{policies.RuleOptOut, "cannot mutate"}})
	require.Contains(t, claimed, "SELINUX-099")

	r, err := Run(context.Background(), ModelEngine{}, Generate(1, GenOptions{MaxPods: 6}))
	require.NoError(t, err)
	var coverage []Difference
	for _, d := range Compare(r, claimed, WantFromModel(r)) {
		if d.Mode == "coverage" {
			coverage = append(coverage, d)
		}
	}
	require.Len(t, coverage, 1)
	require.Equal(t, "SELINUX-099", coverage[0].Rule)
}
