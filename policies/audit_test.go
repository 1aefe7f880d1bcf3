package policies

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/gates"
)

const sharedAcrossNamespaces = `
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: d.example.com}
spec: {seLinuxMount: true}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-a}
spec: {accessModes: [ReadWriteMany], csi: {driver: d.example.com, volumeHandle: share}, claimRef: {namespace: team-a, name: data}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-b}
spec: {accessModes: [ReadWriteMany], csi: {driver: d.example.com, volumeHandle: share}, claimRef: {namespace: team-b, name: data}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: team-a}
spec: {volumeName: pv-a}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: team-b}
spec: {volumeName: pv-b}
---
apiVersion: v1
kind: Pod
metadata: {name: alpha, namespace: team-a}
spec:
  nodeName: node-1
  securityContext: {seLinuxOptions: {level: "s0:c1,c2"}}
  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: v1
kind: Pod
metadata: {name: secret-beta, namespace: team-b}
spec:
  nodeName: node-2
  securityContext: {seLinuxOptions: {level: "s0:c3,c4"}}
  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]
`

func TestCrossNamespaceMessagesAreCensored(t *testing.T) {
	profile, _ := gates.Parse("")
	rep := Audit(profile, stateOf(t, sharedAcrossNamespaces))
	require.Len(t, rep.Conflicts, 2)
	rules := map[string]int{}
	for _, f := range rep.Findings {
		rules[f.Rule]++
		if f.OtherPod != nil && f.OtherPod.Namespace != f.Pod.Namespace {
			require.NotContains(t, f.Message, f.OtherPod.Name, "message about %s names a pod of another namespace", f.Pod.Key())
			require.NotContains(t, f.Message, f.OtherPod.Namespace)
		}
	}
	require.Equal(t, map[string]int{RuleLabelConflict: 2, RuleWillBreak: 1}, rules)
	for _, c := range rep.Conflicts {
		require.Equal(t, "kubernetes.io/csi/d.example.com^share", c.Volume)
		require.True(t, strings.HasPrefix(c.Event, `SELinuxLabel"`), "cross-namespace wording: %s", c.Event)
	}
	for _, f := range rep.Findings {
		if f.Rule == RuleWillBreak {
			require.True(t, f.Latent, "pods on node-1 and node-2 do not meet today")
			require.Equal(t, SeverityWarning, f.Severity)
		}
	}
}

func TestAuditOnV136ReportsNoBreakageForRWX(t *testing.T) {
	profile, _ := gates.Parse("v1.36")
	rep := Audit(profile, stateOf(t, sharedAcrossNamespaces))
	for _, f := range rep.Findings {
		require.NotEqual(t, RuleWillBreak, f.Rule, "RWX volumes are not eligible without SELinuxMount")
	}
	require.Len(t, rep.Conflicts, 2, "the controller warns whatever the Mount gate")
}

func TestCatalogueIsComplete(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Catalogue() {
		require.NotEmpty(t, r.Title)
		require.NotEmpty(t, r.Description)
		require.Contains(t, []string{SeverityError, SeverityWarning}, r.Severity)
		ids[r.ID] = true
		got, ok := RuleByID(r.ID)
		require.True(t, ok)
		require.Equal(t, r, got)
	}
	require.Len(t, ids, 6)
	_, ok := RuleByID("SELINUX-999")
	require.False(t, ok)
}

func TestReaches(t *testing.T) {
	require.True(t, Reaches(SeverityError, SeverityWarning))
	require.True(t, Reaches(SeverityWarning, SeverityWarning))
	require.False(t, Reaches(SeverityWarning, SeverityError))
	require.False(t, Reaches(SeverityError, "none"))
}
