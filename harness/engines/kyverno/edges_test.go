package kyverno

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

func scenario(t *testing.T, name, profile, objects string) *harness.Scenario {
	t.Helper()
	objs, err := cluster.Decode(name+".yaml", []byte(objects))
	require.NoError(t, err)
	p, err := gates.Parse(profile)
	require.NoError(t, err)
	return &harness.Scenario{Name: name, Profile: p, Objects: objs}
}

// nullPods share one claim in an opted-out namespace; each writes the fields the policies read as
// null, {} or not at all (the API server drops nulls, `kyverno test` and raw manifests keep them).
const nullPods = `
apiVersion: v1
kind: Namespace
metadata: {name: apps, labels: {selmount.io/change-policy: Recursive}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: apps}
spec: {accessModes: [ReadWriteOncePod], storageClassName: null}
---
apiVersion: v1
kind: Pod
metadata: {name: nulls, namespace: apps}
spec:
  securityContext: null
  os: null
  nodeName: null
  initContainers: null
  ephemeralContainers: null
  containers:
  - {name: a, securityContext: null, volumeMounts: [{name: data, mountPath: /a}]}
  - {name: b, securityContext: {seLinuxOptions: null}, volumeMounts: null}
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}, {name: other, emptyDir: null}]
status: null
---
apiVersion: v1
kind: Pod
metadata: {name: empties, namespace: apps}
spec:
  securityContext: {seLinuxOptions: {}, seLinuxChangePolicy: null}
  containers:
  - {name: a, securityContext: {}, volumeMounts: [{name: data, mountPath: /a}]}
  - {name: b, securityContext: {seLinuxOptions: {}}, volumeMounts: [{name: data, mountPath: /b}]}
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
status: {}
---
apiVersion: v1
kind: Pod
metadata: {name: absent, namespace: apps}
spec:
  containers:
  - name: a
    securityContext: {seLinuxOptions: {level: "s0:c1,c2"}}
    volumeMounts: [{name: data, mountPath: /a}]
  - name: b
    securityContext: {seLinuxOptions: {user: null, level: "s0:c3,c4"}}
    volumeMounts: [{name: data, mountPath: /b}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: v1
kind: Pod
metadata: {name: labelled, namespace: apps}
spec:
  securityContext: {seLinuxOptions: {level: "s0:c5,c6"}, seLinuxChangePolicy: MountOption}
  containers: [{name: a, volumeMounts: [{name: data, mountPath: /a}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
`

// Null, {} and absent fields evaluate without errors and exactly as the model reads them (it decodes
// into typed objects, where null and absent are the same), in both modes and both bundles.
func TestNullEmptyAndAbsentFields(t *testing.T) {
	for _, profile := range []string{"v1.37", "v1.36"} {
		r, err := harness.Run(context.Background(), testEngine, scenario(t, "nulls-"+profile, profile, nullPods))
		require.NoError(t, err, profile)
		require.Empty(t, harness.Compare(r, testEngine.Rules(), harness.WantFromModel(r)), profile)
		// The case is not vacuous: the conflicts and the mutation are there.
		rules := map[string]bool{}
		for _, f := range r.Audit.Findings {
			rules[f.Rule] = true
		}
		// Under v1.36 the API server refuses labelled's MountOption, so it meets no one (SELINUX-005 only).
		other := policies.RulePolicyConflict
		if profile == "v1.36" {
			other = policies.RuleMisuse
		}
		require.True(t, rules[policies.RuleMultipleLabels] && rules[other], "%s: %v", profile, r.Audit.Findings)
		require.NotNil(t, r.Admits[0].Got.Object, "the opt-out sets a null securityContext")
	}
}

// No message names a Pod of another namespace, while the findings still say which Pod it is.
func TestMessagesNeverNameAPodOfAnotherNamespace(t *testing.T) {
	scs, err := harness.LoadScenarios(scenarioDir)
	require.NoError(t, err)
	for seed := uint64(0); seed < 200; seed++ {
		scs = append(scs, harness.Generate(seed, harness.GenOptions{MaxPods: 12}))
	}
	crossed := 0
	for _, sc := range scs {
		r, err := harness.Run(context.Background(), testEngine, sc)
		require.NoError(t, err, sc.Name)
		outcomes := []harness.Outcome{r.Audit}
		for _, a := range r.Admits {
			outcomes = append(outcomes, a.Got)
		}
		for _, o := range outcomes {
			for _, f := range o.Findings {
				require.True(t, strings.HasPrefix(f.Message, "SELINUX-00"), "%s: %q", sc.Name, f.Message)
				if f.OtherPod == nil || f.OtherPod.Namespace == f.Pod.Namespace {
					continue
				}
				crossed++
				name := f.OtherPod.Name[strings.LastIndex(f.OtherPod.Name, "/")+1:]
				require.NotContains(t, f.Message, "pod "+name, "%s: %s names %s", sc.Name, f.Pod.Key(), f.OtherPod.Key())
				require.NotContains(t, f.Message, f.OtherPod.Namespace+"/", "%s", sc.Name)
			}
		}
	}
	require.Positive(t, crossed, "no cross-namespace finding was checked")
}
