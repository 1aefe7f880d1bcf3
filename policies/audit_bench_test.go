package policies

import (
	"fmt"
	"strings"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// sharedVolumeState is n pods on one RWX claim, all with one level but five with another: the
// common shape of a big shared volume, whose cost must grow with pods and findings, not with pairs.
func sharedVolumeState(b *testing.B, n int) *cluster.State {
	var sb strings.Builder
	sb.WriteString("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared, namespace: ns}\nspec: {accessModes: [ReadWriteMany]}\n")
	for i := 0; i < n; i++ {
		level := "s0:c1,c2"
		if i%(n/5) == n/5-1 {
			level = "s0:c3,c4"
		}
		fmt.Fprintf(&sb, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%d, namespace: ns}\nspec:\n  securityContext: {seLinuxOptions: {level: %q}}\n  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: shared}}]\n", i, level)
	}
	objs, err := cluster.Decode("bench.yaml", []byte(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	s, err := cluster.Build(objs)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkAuditSharedVolume(b *testing.B) {
	profile, _ := gates.Parse("")
	for _, n := range []int{1000, 10000} {
		s := sharedVolumeState(b, n)
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rep := Audit(profile, s)
				if len(rep.Findings) == 0 {
					b.Fatal("no findings")
				}
			}
		})
	}
}

func BenchmarkAdmit(b *testing.B) {
	profile, _ := gates.Parse("")
	s := sharedVolumeState(b, 1000)
	objs, _ := cluster.Decode("new.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: new, namespace: ns}\nspec:\n  securityContext: {seLinuxOptions: {level: \"s0:c9\"}}\n  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: shared}}]\n"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Admit(profile, s, Request{Operation: OperationCreate, Object: &objs[0]}); err != nil {
			b.Fatal(err)
		}
	}
}
