package harness

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// A replayed state holds the workload and the Pod as the opt-out mutated them; a cluster stores the
// workload as applied (the latest version within upto) and the Pod as mutated.
func TestWorkloadsAsAppliedKeepsPodsMutated(t *testing.T) {
	objs, err := cluster.Decode("s.yaml", []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec: {template: {spec: {containers: [{name: c}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: apps}
spec: {containers: [{name: c}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec: {template: {metadata: {labels: {v: "2"}}, spec: {containers: [{name: c}]}}}
`))
	require.NoError(t, err)
	sc := &Scenario{Name: "s", Objects: objs}
	mutatedDeployment, err := WithChangePolicy(&objs[0], "Recursive")
	require.NoError(t, err)
	mutatedPod, err := WithChangePolicy(&objs[1], "Recursive")
	require.NoError(t, err)
	replayed := []cluster.Object{mutatedDeployment, mutatedPod}

	// Only the first two objects applied: the Deployment's first version, not its later one.
	got := WorkloadsAsApplied(sc, 2, replayed)
	require.Len(t, got, 2)
	require.Equal(t, string(objs[0].Raw), string(got[0].Raw), "the workload as applied")
	require.Equal(t, string(mutatedPod.Raw), string(got[1].Raw), "the Pod as mutated")

	got = WorkloadsAsApplied(sc, len(objs), replayed)
	require.Equal(t, string(objs[2].Raw), string(got[0].Raw), "the workload's latest applied version")
	require.True(t, IsWorkload(&objs[0]))
	require.False(t, IsWorkload(&objs[1]))
}

// The model reads a workload as the Pods its controller creates, so its audit of a scenario's final
// state is the same whether the workloads are held as it admitted them (mutated) or as a cluster
// stores them (as applied): what `selmount scan` of a dump reports is what the replay expects.
func TestAuditOfWorkloadsAsAppliedIsTheReplays(t *testing.T) {
	scs, err := LoadScenarios(scenarioRoot)
	require.NoError(t, err)
	for _, sc := range scs {
		r, err := Run(context.Background(), ModelEngine{}, sc)
		require.NoError(t, err, sc.Name)
		stored := stateOf(WorkloadsAsApplied(sc, len(sc.Objects), r.Final))
		got := policies.AuditScoped(sc.Profile, sc.OptOut, stored)
		require.Equal(t, expectedOf(r.ModelAudit.Findings), expectedOf(got.Findings), sc.Name)
	}
}
