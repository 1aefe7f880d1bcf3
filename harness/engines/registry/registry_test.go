package registry

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

const root = "../../.."

// Every engine folder under harness/engines is registered, each entry's divergence list loads, and
// every engine claims rules of the catalogue only: an engine added without the registry, or a
// registry entry pointing at the wrong folder, fails here.
func TestRegistryHoldsEveryEngine(t *testing.T) {
	entries, closeAll, err := Open(context.Background(), root)
	require.NoError(t, err)
	defer closeAll()
	var dirs, names []string
	for _, e := range entries {
		dirs = append(dirs, e.Dir)
		names = append(names, e.Engine.Name())
		_, err := harness.LoadDivergences(e.Divergences(root))
		require.NoError(t, err, e.Dir)
		require.NotEmpty(t, e.Engine.Rules(), e.Dir)
		for _, rule := range e.Engine.Rules() {
			_, known := policies.RuleByID(rule)
			require.True(t, known, "%s claims %s", e.Dir, rule)
		}
	}
	var onDisk []string
	matches, err := filepath.Glob(filepath.Join(root, "harness", "engines", "*", "divergences.yaml"))
	require.NoError(t, err)
	for _, m := range matches {
		onDisk = append(onDisk, filepath.Base(filepath.Dir(m)))
	}
	slices.Sort(dirs)
	require.Equal(t, onDisk, dirs, "an engine folder with a divergences.yaml is not in the registry")
	require.Len(t, names, len(slices.Compact(slices.Sorted(slices.Values(names)))), "engine names are unique")
}
