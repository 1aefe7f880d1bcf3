package regotestgen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

//go:generate go test -run TestScenarioTestsAreCurrent -update .

var update = flag.Bool("update", false, "rewrite "+Path)

const root = "../.."

// rego/tests/scenarios_test.rego is what the generator writes from the scenarios now.
func TestScenarioTestsAreCurrent(t *testing.T) {
	want, err := File(root)
	require.NoError(t, err)
	full := filepath.Join(root, Path)
	if *update {
		require.NoError(t, os.WriteFile(full, want, 0o644))
		return
	}
	got, err := os.ReadFile(full)
	require.NoError(t, err)
	require.True(t, bytes.Equal(got, want), "%s is stale: run go generate ./internal/regotestgen", Path)
}
