package kyverno

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
)

//go:generate go test -run TestNativeSuitesAreCurrent -update .

var update = flag.Bool("update", false, "rewrite kyverno/tests from the scenarios")

const suitesDir = kyvernoDir + "/tests"

// The `kyverno test` suites under kyverno/tests are generated from the scenarios the bundles can
// express (RWOP and SELinuxChangePolicy gates on) and must match what the generator writes now.
func TestNativeSuitesAreCurrent(t *testing.T) {
	scs, err := harness.LoadScenarios(scenarioDir)
	require.NoError(t, err)
	var replays []*harness.Replay
	for _, sc := range scs {
		if !SuiteScenario(sc) {
			continue
		}
		r, err := harness.Run(context.Background(), harness.ModelEngine{}, sc)
		require.NoError(t, err)
		replays = append(replays, r)
	}
	want, err := SuiteFiles(kyvernoDir, replays)
	require.NoError(t, err)
	require.Greater(t, len(want), 2*len(replays))
	if *update {
		require.NoError(t, os.RemoveAll(suitesDir))
		for name, data := range want {
			require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(suitesDir, name)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(suitesDir, name), data, 0o644))
		}
	}
	err = filepath.WalkDir(suitesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(suitesDir, path)
		_, expected := want[rel]
		require.True(t, expected, "%s is not generated: run go generate ./harness/engines/kyverno", path)
		return nil
	})
	require.NoError(t, err, "run: go generate ./harness/engines/kyverno")
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(suitesDir, name))
		require.NoError(t, err, "missing %s: run go generate ./harness/engines/kyverno", name)
		require.True(t, bytes.Equal(data, got), "%s is stale: run go generate ./harness/engines/kyverno", name)
	}
}

// The suites' one copy of the ValidatingPolicies stands for a bundle only when the bundle's mountGate
// is the constant its profile implies; anything else is an error, not a silent parameter.
func TestSuitePoliciesTakeTheGateAsParameter(t *testing.T) {
	raw := []byte(`{"kind":"ValidatingPolicy","spec":{"variables":[{"name":"rwopGate","expression":"true"},{"name":"mountGate","expression":"true"}]}}`)
	doc, err := parameterized(raw, true)
	require.NoError(t, err)
	require.Contains(t, string(doc), "resource.Get('v1', 'configmaps', 'selmount-suite', 'profile')")
	require.Contains(t, string(doc), "expression: \"true\"\n    name: rwopGate")
	_, err = parameterized(raw, false)
	require.ErrorContains(t, err, `variable mountGate is "true", want "false"`)
	_, err = parameterized([]byte(`{"kind":"ValidatingPolicy","spec":{"variables":[{"name":"cpGate","expression":"true"}]}}`), true)
	require.ErrorContains(t, err, "no variable mountGate")
}
