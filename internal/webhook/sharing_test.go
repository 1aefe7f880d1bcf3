package webhook

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

const sharingObjects = `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-a}
spec: {accessModes: [ReadWriteMany], capacity: {storage: 1Gi}, csi: {driver: d.example.com, volumeHandle: a}, claimRef: {namespace: ns, name: a}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: a, namespace: ns}
spec: {accessModes: [ReadWriteMany], volumeName: pv-a, resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-b}
spec: {accessModes: [ReadWriteMany], capacity: {storage: 1Gi}, csi: {driver: d.example.com, volumeHandle: b}, claimRef: {namespace: ns, name: b}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: b, namespace: ns}
spec: {accessModes: [ReadWriteMany], volumeName: pv-b, resources: {requests: {storage: 1Gi}}}
`

func claimPod(name, claim string) string {
	return `---
apiVersion: v1
kind: Pod
metadata: {name: ` + name + `, namespace: ns}
spec:
  containers: [{name: c, image: i}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: ` + claim + `}}, {name: tmp, emptyDir: {}}]
`
}

func sharingState(t *testing.T, yaml string) *cluster.State {
	objs, err := cluster.Decode("sharing.yaml", []byte(yaml))
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	return s
}

func podNames(s *cluster.State) []string {
	var out []string
	for _, p := range s.Pods {
		out = append(out, p.Name)
	}
	return out
}

// An admission reads the Pods on its claims' volumes, in cluster order, and the Pod it replaces;
// an emptyDir meets no one.
func TestNarrowKeepsOnlyThePodsSharingAVolume(t *testing.T) {
	s := sharingState(t, sharingObjects+claimPod("a1", "a")+claimPod("b1", "b")+claimPod("a2", "a")+claimPod("lone", "missing"))
	ix := newVolumeIndex(s)
	newPod := sharingState(t, sharingObjects+claimPod("new", "a")).Pods[0]
	require.Equal(t, []string{"a1", "a2"}, podNames(ix.narrow(newPod)))

	onB := sharingState(t, sharingObjects+claimPod("b1", "b")).Pods[0]
	require.Equal(t, []string{"b1"}, podNames(ix.narrow(onB)), "the replaced Pod itself")

	lone := sharingState(t, sharingObjects+claimPod("lone", "a")).Pods[0]
	require.Equal(t, []string{"a1", "a2", "lone"}, podNames(ix.narrow(lone)), "an UPDATE keeps the stored Pod in its place")

	require.Len(t, ix.narrow(newPod).PVCs, 2, "the storage objects are all kept")
}

// The index is rebuilt when the snapshot changes, and only then.
func TestIndexFollowsTheSnapshot(t *testing.T) {
	var c indexCache
	s1 := sharingState(t, sharingObjects+claimPod("a1", "a"))
	s2 := sharingState(t, sharingObjects+claimPod("a1", "a")+claimPod("a2", "a"))
	first := c.of(s1)
	require.Same(t, first, c.of(s1))
	newPod := sharingState(t, sharingObjects+claimPod("new", "a")).Pods[0]
	require.Equal(t, []string{"a1", "a2"}, podNames(c.of(s2).narrow(newPod)))
}
