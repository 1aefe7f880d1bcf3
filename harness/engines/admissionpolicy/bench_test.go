package admissionpolicy

import (
	"context"
	"fmt"
	"testing"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// benchAdmission is one Pod CREATE into an opted-out namespace with priorPods already admitted, all
// on one claim: the admission a MutatingAdmissionPolicy serves on every Pod create.
func benchAdmission(b *testing.B, priorPods int) harness.Admission {
	doc := recursiveNS + "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: rec}\nspec: {accessModes: [ReadWriteMany]}\n"
	for i := 0; i < priorPods; i++ {
		doc += fmt.Sprintf("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%d, namespace: rec}\nspec:\n  securityContext: {seLinuxChangePolicy: Recursive, seLinuxOptions: {level: \"s0:c1,c2\"}}\n  containers: [{name: c, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n", i)
	}
	prior, err := cluster.Decode("bench.yaml", []byte(doc))
	if err != nil {
		b.Fatal(err)
	}
	objs, err := cluster.Decode("new.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: new, namespace: rec}\nspec:\n  securityContext: {seLinuxOptions: {level: \"s0:c1,c2\"}}\n  containers: [{name: c, volumeMounts: [{name: d, mountPath: /d}]}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n"))
	if err != nil {
		b.Fatal(err)
	}
	profile, _ := gates.Parse("")
	return harness.Admission{Scenario: &harness.Scenario{Name: "bench", Profile: profile}, Operation: "CREATE", Object: &objs[0], Prior: prior}
}

// BenchmarkAdmit compares the admission-policy engine's Admit (mutating plugin, then validating
// plugin) with the model's own Admit on the same request, as Pods per second.
func BenchmarkAdmit(b *testing.B) {
	for _, prior := range []int{10, 1000} {
		a := benchAdmission(b, prior)
		for _, eng := range []harness.Engine{harness.ModelEngine{}, shared} {
			b.Run(fmt.Sprintf("engine=%s/prior=%d", eng.Name(), prior), func(b *testing.B) {
				if _, err := eng.Admit(context.Background(), a); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					out, err := eng.Admit(context.Background(), a)
					if err != nil || out.Object == nil {
						b.Fatalf("admission did not mutate: %v", err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pods/s")
			})
		}
	}
}
