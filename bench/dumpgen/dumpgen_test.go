package dumpgen

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

func generate(t *testing.T, cfg Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, cfg))
	return buf.Bytes()
}

func TestWriteIsDeterministic(t *testing.T) {
	a := generate(t, Config{Pods: 300, Seed: 7})
	b := generate(t, Config{Pods: 300, Seed: 7})
	c := generate(t, Config{Pods: 300, Seed: 8})
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
}

func TestWriteIsAConsistentClusterDump(t *testing.T) {
	data := generate(t, Config{Pods: 2000, Seed: 1, PodsPerNamespace: 20})
	objs, err := cluster.Decode("dump.json", data)
	require.NoError(t, err)
	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.Kind]++
		assert.Equal(t, 1, o.Source.Doc)
	}
	assert.Equal(t, 2000, kinds["Pod"])
	assert.Equal(t, kinds["PersistentVolumeClaim"], kinds["PersistentVolume"])
	assert.Equal(t, 3, kinds["CSIDriver"])
	assert.Equal(t, 3, kinds["StorageClass"])
	assert.Equal(t, 100, kinds["Namespace"])

	state, err := cluster.Build(objs)
	require.NoError(t, err)
	profile, err := gates.Parse("")
	require.NoError(t, err)
	rep := policies.Audit(profile, state)
	assert.Empty(t, rep.Diagnostics, "every claim is bound to a volume that names it")
	rules := map[string]int{}
	for _, f := range rep.Findings {
		rules[f.Rule]++
	}
	for _, r := range policies.Catalogue() {
		assert.Positive(t, rules[r.ID], "rule %s fires", r.ID)
	}
}

// Groups of 2–4 pods per claim keep the work per volume constant, so findings grow linearly.
func TestGroupsAreSmall(t *testing.T) {
	g := newGenerator(Config{Pods: 5000, Seed: 3, PodsPerNamespace: 500, PodsPerNode: 30})
	plan := g.plan()
	sizes := map[int]int{}
	for _, p := range plan.pods {
		sizes[p.group]++
	}
	require.Len(t, sizes, len(plan.groups))
	for grp, n := range sizes {
		if grp < len(plan.groups)-1 { // the last group takes what is left
			assert.True(t, n >= 2 && n <= 4, "group %d has %d pods", grp, n)
		}
	}
}

func TestWriteRejectsNegativeSize(t *testing.T) {
	assert.Error(t, Write(&bytes.Buffer{}, Config{Pods: -1}))
}

func TestZeroPodsIsStorageOnly(t *testing.T) {
	objs, err := cluster.Decode("empty.json", generate(t, Config{}))
	require.NoError(t, err)
	require.Len(t, objs, 2*len(drivers))
	for _, o := range objs {
		assert.Contains(t, []string{"CSIDriver", "StorageClass"}, o.Kind)
	}
}

func TestMCSLevelsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for n := 0; n < 4*labelsPerNS; n++ {
		l := mcsLevel(1, n)
		assert.False(t, seen[l], l)
		seen[l] = true
	}
}
