package kyverno

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// benchCluster is a cluster of pods Pods in namespaces of 100, each namespace with 10 claims bound to
// CSI PVs shared by 10 Pods each (with two labels per claim); the admitted Pod joins claim-0 of ns-0
// with a third label, so every lookup path runs and findings come out.
func benchCluster(t testing.TB, pods int) harness.Admission {
	var b strings.Builder
	b.WriteString("apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: rbd.csi.example.com}\nspec: {seLinuxMount: true}\n")
	for n := 0; n < (pods+99)/100; n++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns-%d}\n", n)
		for c := 0; c < 10; c++ {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-%d-%d}\nspec:\n  accessModes: [ReadWriteMany]\n  csi: {driver: rbd.csi.example.com, volumeHandle: h-%d-%d}\n  claimRef: {namespace: ns-%d, name: claim-%d}\n", n, c, n, c, n, c)
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-%d, namespace: ns-%d}\nspec: {accessModes: [ReadWriteMany], volumeName: pv-%d-%d}\n", c, n, n, c)
		}
	}
	for p := 0; p < pods; p++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-%d, namespace: ns-%d}\nspec:\n  nodeName: node-%d\n  securityContext: {seLinuxOptions: {level: \"s0:c%d,c%d\"}}\n  containers: [{name: app, volumeMounts: [{name: data, mountPath: /data}]}]\n  volumes: [{name: data, persistentVolumeClaim: {claimName: claim-%d}}]\n",
			p, p/100, p%7, p%2, 500+p%2, (p%100)/10)
	}
	b.WriteString("---\napiVersion: v1\nkind: Pod\nmetadata: {name: new, namespace: ns-0}\nspec:\n  securityContext: {seLinuxOptions: {level: \"s0:c9,c9\"}}\n  containers: [{name: app, volumeMounts: [{name: data, mountPath: /data}]}]\n  volumes: [{name: data, persistentVolumeClaim: {claimName: claim-0}}]\n")
	objs, err := cluster.Decode("bench.yaml", []byte(b.String()))
	require.NoError(t, err)
	n := len(objs)
	sc := &harness.Scenario{Name: "bench", Profile: gates.Profile{}, Objects: objs}
	sc.Profile, _ = gates.Parse("")
	return harness.Admission{Scenario: sc, Index: n - 1, Operation: policies.OperationCreate, Object: &objs[n-1], Prior: objs[:n-1]}
}

// Admit of one Pod, the cluster already stored (the API server's storage; building it is the
// harness's replay, not admission). Lookups are per namespace and per name, so 10,000 Pods cost
// about what 100 do: compare ns/op of the two.
func BenchmarkAdmit(b *testing.B) {
	for _, pods := range []int{100, 10000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			a := benchCluster(b, pods)
			bundle, err := testEngine.bundle(a.Scenario.Profile)
			require.NoError(b, err)
			v, err := newView(a.Prior, "ns-0")
			require.NoError(b, err)
			out, err := bundle.admit(context.Background(), v, a, -1)
			require.NoError(b, err)
			require.NotEmpty(b, out.Findings, "the admitted Pod conflicts with its claim's Pods")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := bundle.admit(context.Background(), v, a, -1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The benchmark's cluster is judged as the model judges it.
func TestBenchClusterAgrees(t *testing.T) {
	a := benchCluster(t, 200)
	got, err := testEngine.Admit(context.Background(), a)
	require.NoError(t, err)
	model, err := harness.ModelEngine{}.Admit(context.Background(), a)
	require.NoError(t, err)
	strip := func(fs []policies.Finding) []policies.Finding {
		out := make([]policies.Finding, len(fs))
		for i, f := range fs {
			f.Message, f.Assumed = "", false
			out[i] = f
		}
		return policies.SortFindings(out)
	}
	require.NotEmpty(t, got.Findings)
	require.Equal(t, strip(model.Findings), strip(got.Findings))
}
