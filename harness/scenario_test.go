package harness

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

const scenarioRoot = "scenarios"

func loadAll(t testing.TB) []*Scenario {
	t.Helper()
	scs, err := LoadScenarios(scenarioRoot)
	require.NoError(t, err)
	return scs
}

// The model must reproduce every hand-written expectation, in Admit replay and in Audit.
func TestModelReproducesScenarios(t *testing.T) {
	for _, sc := range loadAll(t) {
		t.Run(sc.Name, func(t *testing.T) {
			r, err := Run(context.Background(), ModelEngine{}, sc)
			require.NoError(t, err)
			got := changePolicies(r)
			require.Equal(t, got, sc.Expect.ChangePolicy, "changePolicy must list every pod after admission")
			for _, d := range Compare(r, ModelEngine{}.Rules(), WantFromExpectation(r)) {
				t.Error(d)
			}
		})
	}
}

func TestCorpusCoversEveryRule(t *testing.T) {
	scs := loadAll(t)
	require.GreaterOrEqual(t, len(scs), 40, "the corpus needs at least 40 scenarios")
	seen := map[string]bool{}
	for _, sc := range scs {
		require.NotEmpty(t, sc.Expect.Description, sc.Name)
		for _, f := range sc.Expect.Findings {
			seen[f.Rule] = true
		}
		for _, v := range sc.Expect.ChangePolicy {
			if v != "" {
				seen["mutation"] = true
			}
		}
	}
	for _, r := range policies.Catalogue() {
		require.True(t, seen[r.ID], "no scenario expects a %s finding", r.ID)
	}
}
