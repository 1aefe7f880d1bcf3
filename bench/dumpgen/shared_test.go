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

// Every claim of the shared dump resolves to the one volume, and every two Pods of different
// namespaces conflict: the grouped report stands for n² − Σ nᵢ² label conflicts.
func TestWriteSharedPutsEveryTenantOnOneVolume(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteShared(&buf, 200, 20))
	objs, err := cluster.Decode("shared.json", buf.Bytes())
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	profile, err := gates.Parse("")
	require.NoError(t, err)
	rep := policies.AuditGrouped(profile, s)
	assert.Empty(t, rep.Diagnostics)
	var labelPairs int64
	volumes := map[string]bool{}
	for _, g := range rep.Groups {
		volumes[g.Volume] = true
		if g.Rule == policies.RuleLabelConflict {
			labelPairs += g.Pairs
			assert.Len(t, g.Pods, 10)
		}
	}
	assert.Equal(t, map[string]bool{"kubernetes.io/csi/" + sharedDriver + "^one-share-for-every-tenant": true}, volumes)
	assert.Equal(t, int64(200*200-20*10*10), labelPairs)
	assert.Error(t, WriteShared(&buf, 1, 0))
}
