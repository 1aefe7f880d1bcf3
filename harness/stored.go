package harness

import "github.com/selmount/selmount/policies/cluster"

// WorkloadsAsApplied is objects (a replayed state, workloads as the model admitted them) as a
// cluster stores them, every bundle's opt-out mutating Pods only (at CREATE), and as manifests have
// them: every workload as it was applied, its latest version among the scenario's first upto
// objects, while a Pod stays as mutated. The model's replay holds a workload with the opt-out's
// policy, standing for the Pods its controller creates; a Gatekeeper sync or audit, and conftest on
// a dump or on manifests, see the stored workload. The model and the Rego read such a workload as
// its Pods (policies/optout.go, asCreated), so both hold the same findings.
func WorkloadsAsApplied(sc *Scenario, upto int, objects []cluster.Object) []cluster.Object {
	applied := map[string]*cluster.Object{}
	for i := 0; i < upto && i < len(sc.Objects); i++ {
		applied[sc.Objects[i].Identity()] = &sc.Objects[i]
	}
	out := make([]cluster.Object, len(objects))
	for i := range objects {
		out[i] = objects[i]
		if !IsWorkload(&objects[i]) {
			continue
		}
		if o, ok := applied[objects[i].Identity()]; ok {
			out[i] = *o
		}
	}
	return out
}

// IsWorkload: a Pod-making object other than a Pod (Deployment … CronJob).
func IsWorkload(o *cluster.Object) bool {
	return o.Kind != "Pod" && cluster.PodFromObject(o) != nil
}
