package cluster_test

import (
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
)

// A migrated PersistentVolume's unique name comes from its metadata too: the GCE PD zone label and
// the Azure File resource-group annotation. The fast path once dropped both, so a dump's volumes
// resolved to other names than the same objects as YAML; the equivalence corpus has no such volume.
func TestFastPathKeepsWhatMigrationReads(t *testing.T) {
	dump := []byte(`{"apiVersion":"v1","kind":"List","items":[
{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"gce","labels":{"topology.kubernetes.io/zone":"us-east1-b"}},
 "spec":{"capacity":{"storage":"1Gi"},"gcePersistentDisk":{"pdName":"disk"},"accessModes":["ReadWriteOnce"],"claimRef":{"namespace":"ns","name":"a","uid":"u1"}}},
{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"azure","annotations":{"kubernetes.io/azure-file-resource-group":"rg"}},
 "spec":{"azureFile":{"secretName":"s","shareName":"share"},"accessModes":["ReadWriteMany"],"claimRef":{"namespace":"ns","name":"b","uid":"u2"}}},
{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"a","namespace":"ns","uid":"u1"},
 "spec":{"resources":{"requests":{"storage":"1Gi"}},"volumeName":"gce"},"status":{"phase":"Bound"}},
{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"b","namespace":"ns","uid":"u2"},
 "spec":{"volumeName":"azure"},"status":{"phase":"Bound"}},
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"c"}],
 "volumes":[{"name":"a","persistentVolumeClaim":{"claimName":"a"}},{"name":"b","persistentVolumeClaim":{"claimName":"b"}}]}}]}`)
	resolve := func(decode func(string, []byte) ([]cluster.Object, error)) map[string]cluster.Volume {
		objs, err := decode("dump.json", dump)
		require.NoError(t, err)
		s, err := cluster.Build(objs)
		require.NoError(t, err)
		require.Len(t, s.Pods, 1)
		vols, diags := s.ResolvePod(s.Pods[0])
		require.Empty(t, diags)
		return vols
	}
	want := resolve(cluster.Decode)
	require.Contains(t, want["a"].Key, "us-east1-b", "the zone is part of the name: else this test proves nothing")
	require.Contains(t, want["b"].Key, "rg")
	require.Equal(t, want, resolve(cluster.DecodeScan))
}
