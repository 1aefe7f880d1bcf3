package harness

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func TestMatrixCountsCasesAndDifferences(t *testing.T) {
	sc := blogScenario(t)
	rules := ModelEngine{}.Rules()
	m := NewMatrix(1, 0, 1, rules)

	r, err := Run(context.Background(), ModelEngine{}, sc)
	require.NoError(t, err)
	m.Add("model", rules, r, Compare(r, rules, WantFromExpectation(r)), nil)

	lossy := lossyEngine{dropRule: policies.RuleWillBreak}
	r, err = Run(context.Background(), lossy, sc)
	require.NoError(t, err)
	diffs := Compare(r, rules, WantFromExpectation(r))
	m.Add("lossy", rules, r, diffs, func(_ *Replay, d Difference) string {
		if d.Mode == "audit" {
			return "audit-only"
		}
		return ""
	})

	require.Equal(t, &Cell{Evaluated: 3, Agreed: 3}, m.Cells["model"][policies.RuleWillBreak])
	require.Equal(t, &Cell{Evaluated: 3, Agreed: 1, Listed: 1, Unexpected: 1}, m.Cells["lossy"][policies.RuleWillBreak])
	require.Equal(t, []string{"lossy SELINUX-006: 1 unexpected differences"}, m.Failures())

	var b strings.Builder
	require.NoError(t, m.Markdown(&b))
	require.Contains(t, b.String(), "| SELINUX-006 | 3 / 3, 0 listed, 0 unexpected | 1 / 3, 1 listed, 1 unexpected |")
}

func TestMatrixFailsAnEngineThatEvaluatedNothing(t *testing.T) {
	sc := blogScenario(t)
	eng := lossyEngine{skipRule: policies.RuleMisuse}
	r, err := Run(context.Background(), eng, sc)
	require.NoError(t, err)
	m := NewMatrix(1, 0, 1, eng.Rules())
	m.Add("skipper", eng.Rules(), r, Compare(r, eng.Rules(), WantFromExpectation(r)), nil)
	require.Contains(t, m.Failures(), "skipper SELINUX-005: evaluated nothing")
}
