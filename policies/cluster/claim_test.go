package cluster

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestManifestClaimsThatCannotBind(t *testing.T) {
	s := stateFrom(t, `
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec: {csi: {driver: d, volumeHandle: h}, claimRef: {namespace: ns, name: other}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv2}
spec: {csi: {driver: d, volumeHandle: h2}, claimRef: {namespace: ns, name: uidclaim, uid: u-old}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv3}
spec: {csi: {driver: d, volumeHandle: h3}, claimRef: {namespace: ns, name: nouid, uid: u-3}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: stolen, namespace: ns}
spec: {volumeName: pv1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: dangling, namespace: ns}
spec: {volumeName: gone}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: uidclaim, namespace: ns, uid: u-new}
spec: {volumeName: pv2}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: nouid, namespace: ns}
spec: {volumeName: pv3}
`+podWith+`  - {name: a, persistentVolumeClaim: {claimName: stolen}}
  - {name: b, persistentVolumeClaim: {claimName: dangling}}
  - {name: c, persistentVolumeClaim: {claimName: uidclaim}}
  - {name: d, persistentVolumeClaim: {claimName: nouid}}
`)
	vols, diags := resolveOne(t, s, "ns/p")
	require.Empty(t, vols)
	require.Len(t, diags, 4)
	for _, d := range diags {
		require.Equal(t, DiagUnresolvedVolume, d.Kind)
		require.Equal(t, "t.yaml: document 8", d.File)
		require.Equal(t, "Pod ns/p", d.Object)
	}
	require.Contains(t, diags[0].Message, "claimRef ns/other")
	require.Contains(t, diags[1].Message, "PersistentVolume gone, which is not in the input")
	require.Contains(t, diags[2].Message, "uid u-old")
	require.Contains(t, diags[3].Message, "uid u-3", "a claim written without a uid gets a new one, never the claimRef's")
}

// Decision 6: one PersistentVolume in a folder of manifests leaves the other claims alone.
func TestStrayPersistentVolumeKeepsManifestClaims(t *testing.T) {
	s := stateFrom(t, `
apiVersion: v1
kind: PersistentVolume
metadata: {name: stray}
spec: {csi: {driver: d, volumeHandle: h}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: unbound, namespace: ns}
spec: {accessModes: [ReadWriteOncePod]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: prebound, namespace: ns}
spec: {volumeName: stray}
`+podWith+`  - {name: a, persistentVolumeClaim: {claimName: unbound}}
  - {name: b, persistentVolumeClaim: {claimName: missing}}
  - {name: c, persistentVolumeClaim: {claimName: prebound}}
`)
	vols, diags := resolveOne(t, s, "ns/p")
	require.Empty(t, diags)
	require.Equal(t, "pvc/ns/unbound", vols["a"].Key)
	require.Equal(t, "pvc/ns/missing", vols["b"].Key)
	require.True(t, vols["b"].Assumed)
	require.Equal(t, "kubernetes.io/csi/d^h", vols["c"].Key, "a PV with no claimRef is free for the claim that pre-binds it")
}

// A claim with a status came from a cluster: it resolves as upstream resolves it, by phase and uid.
func TestClusterClaimsResolveByPhaseAndUID(t *testing.T) {
	s := stateFrom(t, `
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec: {csi: {driver: d, volumeHandle: h1}, claimRef: {namespace: ns, name: renamed, uid: u1}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv2}
spec: {csi: {driver: d, volumeHandle: h2}, claimRef: {namespace: ns, name: stale, uid: u-old}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: bound, namespace: ns, uid: u1}
spec: {volumeName: pv1}
status: {phase: Bound}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: stale, namespace: ns, uid: u-new}
spec: {volumeName: pv2}
status: {phase: Bound}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pending, namespace: ns, uid: u3}
spec: {accessModes: [ReadWriteOnce]}
status: {phase: Pending}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: lost, namespace: ns, uid: u4}
spec: {volumeName: pv1}
status: {phase: Lost}
`+podWith+`  - {name: a, persistentVolumeClaim: {claimName: bound}}
  - {name: b, persistentVolumeClaim: {claimName: stale}}
  - {name: c, persistentVolumeClaim: {claimName: pending}}
  - {name: d, persistentVolumeClaim: {claimName: lost}}
`)
	vols, diags := resolveOne(t, s, "ns/p")
	require.Len(t, vols, 1)
	require.Equal(t, "kubernetes.io/csi/d^h1", vols["a"].Key, "upstream compares the claimRef's uid, not its name")
	require.Len(t, diags, 3)
	require.Contains(t, diags[0].Message, `uid "u-new"`)
	require.Contains(t, diags[1].Message, "ns/pending is Pending, not Bound")
	require.Contains(t, diags[2].Message, "ns/lost is Lost, not Bound")
}
