package opa

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
)

// A rule that main.rego no longer declares is not counted as evaluated, so Compare's coverage
// guard fails for it; the full library declares every claimed rule.
func TestEvaluatedOnlyForRulesMainDeclares(t *testing.T) {
	full := engine(t)
	for _, id := range full.Rules() {
		require.True(t, full.declared[id], "main.rego declares %s", id)
	}

	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(regoDir)))
	mainPath := filepath.Join(dir, "selmount", "main.rego")
	src, err := os.ReadFile(mainPath)
	require.NoError(t, err)
	// The METADATA blocks stay, on rules that are neither deny nor warn.
	cut := strings.ReplaceAll(string(src), `deny contains f if some f in of("SELINUX-006", "error")`, "dropped_error := true")
	cut = strings.ReplaceAll(cut, `warn contains f if some f in of("SELINUX-006", "warning")`, "dropped_warning := true")
	require.NotEqual(t, string(src), cut)
	require.NoError(t, os.WriteFile(mainPath, []byte(cut), 0o644))
	partial, err := New(context.Background(), dir)
	require.NoError(t, err)

	sc, err := harness.LoadScenario(filepath.Join(scenarioDir, "same-node-kubelet-compares-with-first-pod-only"))
	require.NoError(t, err)
	r, err := harness.Run(context.Background(), partial, sc)
	require.NoError(t, err)
	require.Zero(t, r.Audit.Evaluated["SELINUX-006"])
	require.Equal(t, 1, r.Audit.Evaluated["SELINUX-001"])
	var coverage bool
	for _, d := range harness.Compare(r, partial.Rules(), harness.WantFromModel(r)) {
		coverage = coverage || (d.Mode == "coverage" && d.Rule == "SELINUX-006")
	}
	require.True(t, coverage, "the coverage guard names SELINUX-006")
}
