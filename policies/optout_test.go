package policies

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/gates"
)

// storedWorkloads is a namespace opted out with Recursive, as a cluster dump or a folder of manifests
// has it: the workloads' templates as applied, without the policy the opt-out gives their Pods at
// CREATE. web shares an eligible claim with inspector, which set Recursive itself; stale is a bare Pod
// created before the label; iis is a Windows template; pinned sets MountOption.
const storedWorkloads = `
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: files.example.com}
spec: {seLinuxMount: true}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: files}
provisioner: files.example.com
---
apiVersion: v1
kind: Namespace
metadata: {name: rec, labels: {selmount.io/change-policy: Recursive}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: work, namespace: rec}
spec: {accessModes: [ReadWriteMany], storageClassName: files}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: rec}
spec:
  template:
    spec:
      securityContext: {seLinuxOptions: {level: "s0:c1,c2"}}
      containers: [{name: c, volumeMounts: [{name: w, mountPath: /w}]}]
      volumes: [{name: w, persistentVolumeClaim: {claimName: work}}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: rec}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          securityContext: {seLinuxOptions: {level: "s0:c5,c6"}}
          containers: [{name: c, volumeMounts: [{name: w, mountPath: /w}]}]
          volumes: [{name: w, persistentVolumeClaim: {claimName: work}}]
---
apiVersion: v1
kind: Pod
metadata: {name: inspector, namespace: rec}
spec:
  securityContext: {seLinuxChangePolicy: Recursive, seLinuxOptions: {level: "s0:c3,c4"}}
  containers: [{name: c, volumeMounts: [{name: w, mountPath: /w}]}]
  volumes: [{name: w, persistentVolumeClaim: {claimName: work}}]
---
apiVersion: v1
kind: Pod
metadata: {name: stale, namespace: rec}
spec:
  containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: iis, namespace: rec}
spec:
  template:
    spec:
      os: {name: windows}
      containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: pinned, namespace: rec}
spec:
  template:
    spec:
      securityContext: {seLinuxChangePolicy: MountOption}
      containers: [{name: c}]
`

// A workload in an opted-out namespace is read as the Pods its controller creates, which the opt-out
// gives the namespace's value: no SELINUX-004 on it, and no conflict of its template read as
// MountOption-eligible with inspector. The bare Pod created before the label still gets SELINUX-004;
// the Windows and the pinned templates are left as they are.
func TestAuditReadsStoredWorkloadsAsTheirPods(t *testing.T) {
	profile, _ := gates.Parse("")
	want := []string{"SELINUX-004 rec/stale"}
	rep := Audit(profile, stateOf(t, storedWorkloads))
	require.Equal(t, want, findingKeys(rep.Findings))
	require.Empty(t, rep.Conflicts)
	grouped := AuditGrouped(profile, stateOf(t, storedWorkloads))
	require.Equal(t, want, findingKeys(grouped.Findings), "the scan's grouped audit reads them the same way")
	require.Empty(t, grouped.Groups)

	// The model's own replay of the objects as CREATEs holds the workloads mutated: the same reading.
	applied, err := ApplyAll(profile, OptOutScope{}, decode(t, storedWorkloads))
	require.NoError(t, err)
	require.Empty(t, findingKeys(Audit(profile, applied).Findings), "admitted as CREATEs, stale gets the policy too")

	s := stateOf(t, storedWorkloads)
	for key, want := range map[string]string{"rec/Deployment/web": "Recursive", "rec/CronJob/report": "Recursive",
		"rec/Deployment/iis": "", "rec/Deployment/pinned": "MountOption", "rec/stale": ""} {
		got := ""
		if cp := (OptOutScope{}).asCreated(s, s.Pod(key)).ChangePolicy(); cp != nil {
			got = string(*cp)
		}
		require.Equal(t, want, got, key)
	}
	require.Nil(t, s.Pod("rec/Deployment/web").ChangePolicy(), "the stored workload is not changed")
}

// Under the cluster-wide opt-out a workload of a namespace without a label is read with Recursive, as
// Admit mutates it.
func TestClusterWideOptOutReadsStoredWorkloads(t *testing.T) {
	profile, _ := gates.Parse("")
	s := stateOf(t, optOutNamespaces+"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: plain}\nspec: {template: {spec: {containers: [{name: c}]}}}\n")
	require.Equal(t, []string{}, findingKeys(AuditScoped(profile, OptOutScope{ClusterWide: true}, s).Findings))
	require.Empty(t, findingKeys(Audit(profile, s).Findings), "the namespace label opt-out leaves plain alone")
}

func findingKeys(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule+" "+f.Pod.Key())
	}
	return out
}
