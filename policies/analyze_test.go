package policies

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/gates"
)

// A Pod the API server refuses is never stored: it has its SELINUX-005 error and nothing else, and
// the Pod next to it on the volume meets no one.
func TestRejectedPodTakesNoPartInViews(t *testing.T) {
	const objects = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ns}
spec: {accessModes: [ReadWriteOncePod]}
---
apiVersion: v1
kind: Pod
metadata: {name: p1, namespace: ns}
spec:
  nodeName: node-1
  securityContext: {seLinuxOptions: {level: "s0:c1,c2"}, seLinuxChangePolicy: MountOption}
  containers: [{name: a, volumeMounts: [{name: v, mountPath: /a}]}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: v1
kind: Pod
metadata: {name: p2, namespace: ns}
spec:
  nodeName: node-1
  securityContext: {seLinuxOptions: {level: "s0:c5,c6"}, seLinuxChangePolicy: Recursive}
  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]
`
	for _, tc := range []struct {
		profile string
		rules   []string
	}{
		{"v1.36", []string{RuleMisuse}},
		// Accepted under v1.37: the same Pods conflict both ways, and p2 is refused after p1.
		{"v1.37", []string{RuleLabelConflict, RuleLabelConflict, RulePolicyConflict, RulePolicyConflict, RuleWillBreak}},
	} {
		profile, err := gates.Parse(tc.profile)
		require.NoError(t, err)
		rep := Audit(profile, stateOf(t, objects))
		var rules []string
		for _, f := range rep.Findings {
			rules = append(rules, f.Rule)
		}
		require.Equal(t, tc.rules, rules, tc.profile)
		if tc.profile == "v1.36" {
			require.Empty(t, rep.Conflicts)
		}
	}
}
