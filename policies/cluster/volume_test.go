package cluster

import (
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func stateFrom(t *testing.T, doc string) *State {
	t.Helper()
	objs, err := Decode("t.yaml", []byte(doc))
	require.NoError(t, err)
	s, err := Build(objs)
	require.NoError(t, err)
	return s
}

func resolveOne(t *testing.T, s *State, pod string) (map[string]Volume, []Diagnostic) {
	t.Helper()
	p := s.Pod(pod)
	require.NotNil(t, p, pod)
	return s.ResolvePod(p)
}

const podWith = `
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  volumes:
`

func TestResolveCSIPersistentVolume(t *testing.T) {
	s := stateFrom(t, `
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: csi.example.com}
spec: {seLinuxMount: true}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  accessModes: [ReadWriteMany]
  csi: {driver: csi.example.com, volumeHandle: h1}
  claimRef: {namespace: ns, name: c1, uid: u1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c1, namespace: ns, uid: u1}
spec: {volumeName: pv1}
`+podWith+`  - {name: d, persistentVolumeClaim: {claimName: c1}}
  - {name: e, emptyDir: {}}
  - {name: i, csi: {driver: csi.example.com}}
  - {name: ebs, awsElasticBlockStore: {volumeID: vol-1}}
  - {name: iscsi, iscsi: {targetPortal: "10.0.0.1:3260", iqn: "iqn.x", lun: 2}}
`)
	vols, diags := resolveOne(t, s, "ns/p")
	require.Empty(t, diags)
	require.Equal(t, Volume{SpecName: "pv1", Key: "kubernetes.io/csi/csi.example.com^h1", Plugin: "kubernetes.io/csi", CSIDriver: "csi.example.com",
		HasPV: true, AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany}, PluginSupports: true, Claim: true}, vols["d"])
	require.False(t, vols["e"].Shared())
	require.False(t, vols["i"].Shared(), "inline CSI volumes are never shared")
	require.Equal(t, "kubernetes.io/csi/ebs.csi.aws.com^vol-1", vols["ebs"].Key)
	require.False(t, vols["ebs"].PluginSupports, "a driver absent from an input that lists drivers has no seLinuxMount")
	require.True(t, vols["ebs"].HasPV, "the kubelet turns a migrated inline volume into a PV spec (Decision 5)")
	require.Equal(t, "kubernetes.io/iscsi/10.0.0.1:3260:iqn.x:2", vols["iscsi"].Key)
	require.True(t, vols["iscsi"].PluginSupports)
}

func TestResolveClaimWithoutPV(t *testing.T) {
	s := stateFrom(t, `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
provisioner: kubernetes.io/aws-ebs
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local}
provisioner: kubernetes.io/no-provisioner
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: def, namespace: ns}
spec: {accessModes: [ReadWriteOnce]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: loc, namespace: ns}
spec: {storageClassName: local}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: unknown, namespace: ns}
spec: {storageClassName: nowhere}
`+podWith+`  - {name: a, persistentVolumeClaim: {claimName: def}}
  - {name: b, persistentVolumeClaim: {claimName: loc}}
  - {name: c, persistentVolumeClaim: {claimName: unknown}}
  - {name: m, persistentVolumeClaim: {claimName: missing}}
  - {name: eph, ephemeral: {volumeClaimTemplate: {spec: {accessModes: [ReadWriteOncePod]}}}}
`)
	vols, diags := resolveOne(t, s, "ns/p")
	require.Empty(t, diags)
	require.Equal(t, "pvc/ns/def", vols["a"].Key)
	require.Equal(t, "ebs.csi.aws.com", vols["a"].CSIDriver, "the default class's in-tree provisioner maps to its CSI driver")
	require.True(t, vols["a"].PluginSupports)
	require.True(t, vols["a"].Assumed, "no CSIDriver objects in the input: support is assumed")
	require.False(t, vols["b"].PluginSupports, "local volumes never mount with context")
	require.True(t, vols["c"].Assumed)
	require.Equal(t, "pvc/ns/missing", vols["m"].Key)
	require.True(t, vols["m"].Assumed)
	require.True(t, vols["eph"].PerPod)
	require.Equal(t, "pvc/ns/p-eph", vols["eph"].Key)
}

func TestStatefulSetClaimTemplatesArePerReplica(t *testing.T) {
	s := stateFrom(t, `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ns}
spec:
  template:
    spec:
      volumes: [{name: shared, persistentVolumeClaim: {claimName: common}}]
      containers: [{name: c, volumeMounts: [{name: data, mountPath: /d}, {name: shared, mountPath: /s}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce]}
`)
	p := s.Pod("ns/StatefulSet/db")
	require.NotNil(t, p)
	require.Equal(t, "StatefulSet", p.Kind)
	vols, diags := s.ResolvePod(p)
	require.Empty(t, diags)
	require.Equal(t, "pvc/ns/common", vols["shared"].Key)
	require.Equal(t, "volumeclaimtemplate/ns/StatefulSet/db/data", vols["data"].Key, "templates are mounted by name without a volumes entry")
	require.True(t, vols["data"].PerPod)
	require.True(t, vols["data"].HasPV)
	require.True(t, vols["shared"].Shared())
}
