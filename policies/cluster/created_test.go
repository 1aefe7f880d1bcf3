package cluster_test

import (
	"testing"
	"time"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
)

// createdDump is a dump's shape: a List, Pods and a workload with creationTimestamps, and a Pod
// without one (the API server always writes it; a hand-edited dump may not).
const createdDump = `{"apiVersion": "v1", "items": [
{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"creationTimestamp": "2025-03-01T12:00:03Z", "name": "web", "namespace": "reports"}, "spec": {"template": {"metadata": {"creationTimestamp": null}, "spec": {"containers": [{"name": "c"}]}}}},
{"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "2025-03-01T12:00:01Z", "name": "dashboard", "namespace": "reports"}, "spec": {"containers": [{"name": "c"}]}},
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hand-written", "namespace": "reports"}, "spec": {"containers": [{"name": "c"}]}},
{"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "2025-03-01T13:00:00+01:00", "name": "legacy-exporter", "namespace": "reports"}, "spec": {"containers": [{"name": "c"}]}}
], "kind": "List", "metadata": {"resourceVersion": ""}}
`

// Both decoders give each Pod and workload its creationTimestamp, and the fast path reads it (it
// must not give the dump up to Decode, nor drop the field as it drops a Pod's other metadata).
func TestDecodersReadCreationTimestamp(t *testing.T) {
	at := func(s int) time.Time { return time.Date(2025, 3, 1, 12, 0, s, 0, time.UTC) }
	want := map[string]time.Time{
		"reports/Deployment/web": at(3), "reports/dashboard": at(1), "reports/hand-written": {}, "reports/legacy-exporter": at(0),
	}
	cluster.RequireSameDecode(t, "dump.json", []byte(createdDump))
	fast, ok := cluster.DecodeFast("dump.json", []byte(createdDump))
	require.True(t, ok, "the fast path gave the dump up")
	typed, err := cluster.Decode("dump.json", []byte(createdDump))
	require.NoError(t, err)
	for name, objs := range map[string][]cluster.Object{"fast": fast, "Decode": typed} {
		require.Len(t, objs, len(want), name)
		for i := range objs {
			p := cluster.PodFromObject(&objs[i])
			w, found := want[p.Key()]
			require.True(t, found, "%s: %s", name, p.Key())
			require.True(t, w.Equal(p.Created), "%s: %s created %v, want %v", name, p.Key(), p.Created, w)
		}
	}
}
