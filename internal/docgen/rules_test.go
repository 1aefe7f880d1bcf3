package docgen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

//go:generate go test -run TestRuleDocsAreCurrent -update .

var update = flag.Bool("update", false, "rewrite docs/rules")

const root = "../.."

func TestRuleDocsAreCurrent(t *testing.T) {
	pages, err := Generate(root)
	require.NoError(t, err)
	if *update {
		for path, data := range pages {
			require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(root, path)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(root, path), data, 0o644))
		}
	}
	for path, data := range pages {
		got, err := os.ReadFile(filepath.Join(root, path))
		require.NoError(t, err, "%s is missing: run go generate ./internal/docgen", path)
		require.True(t, bytes.Equal(data, got), "%s is stale: run go generate ./internal/docgen", path)
	}
	files, err := filepath.Glob(filepath.Join(root, RulesDir, "*.md"))
	require.NoError(t, err)
	require.Len(t, files, len(pages), "docs/rules holds a page for a rule that is not in the catalogue")
}

// Every rule has a page, and its examples show it: the violating scenario expects the rule, the
// fixed one does not.
func TestEveryRuleHasDocsAndExamples(t *testing.T) {
	for _, r := range policies.Catalogue() {
		_, err := os.Stat(filepath.Join(root, RulesDir, r.ID+".md"))
		require.NoError(t, err, "%s has no docs page", r.ID)
		vio, err := harness.LoadScenario(filepath.Join(root, ScenarioDir, r.Violating))
		require.NoError(t, err, r.ID)
		fixed, err := harness.LoadScenario(filepath.Join(root, ScenarioDir, r.Fixed))
		require.NoError(t, err, r.ID)
		require.True(t, expects(vio, r.ID), "%s: %s does not show the rule", r.ID, r.Violating)
		require.False(t, expects(fixed, r.ID), "%s: %s still shows the rule", r.ID, r.Fixed)
	}
}

func expects(sc *harness.Scenario, rule string) bool {
	for _, f := range sc.Expect.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}
