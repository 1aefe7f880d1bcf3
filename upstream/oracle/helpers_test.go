package oracle

import (
	"context"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// replayYAML decodes a multi-document cluster and replays it under a profile.
func replayYAML(t *testing.T, profile, doc string) Result {
	t.Helper()
	objs, err := cluster.Decode("test.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := cluster.Build(objs)
	if err != nil {
		t.Fatal(err)
	}
	p, err := gates.Parse(profile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Replay(context.Background(), p, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sharedClaim is a CSI driver with seLinuxMount and a bound ReadWriteOncePod claim "data" in ns "a".
const sharedClaim = `
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: d.example.com}
spec: {seLinuxMount: true}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  accessModes: [ReadWriteOncePod]
  capacity: {storage: 1Gi}
  csi: {driver: d.example.com, volumeHandle: h1}
  claimRef: {namespace: a, name: data, uid: u1}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {namespace: a, name: data, uid: u1}
spec: {accessModes: [ReadWriteOncePod], volumeName: pv1}
status: {phase: Bound}
`

func podYAML(name, node, podOpts, ctrs string) string {
	return `
---
apiVersion: v1
kind: Pod
metadata: {namespace: a, name: ` + name + `}
spec:
  nodeName: "` + node + `"
  securityContext: {seLinuxOptions: ` + podOpts + `}
  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]
  containers: ` + ctrs
}

const oneContainer = `[{name: c, image: i, volumeMounts: [{name: v, mountPath: /v}]}]`
