package gatekeeper

import (
	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
)

// asStored is objects (a replayed state, workloads as the model admitted them) as a cluster running
// the bundle stores them: the Assign mutators match Pods only, so a workload keeps the template it
// was applied with (the latest version among the scenario's first upto objects), while a Pod is
// stored as mutated. data.inventory and Gatekeeper's audit see that stored workload, never the
// model's mutated one.
func asStored(sc *harness.Scenario, upto int, objects []cluster.Object) []cluster.Object {
	applied := map[string]*cluster.Object{}
	for i := 0; i < upto && i < len(sc.Objects); i++ {
		applied[sc.Objects[i].Identity()] = &sc.Objects[i]
	}
	out := make([]cluster.Object, len(objects))
	for i := range objects {
		out[i] = objects[i]
		if !isWorkload(&objects[i]) {
			continue
		}
		if o, ok := applied[objects[i].Identity()]; ok {
			out[i] = *o
		}
	}
	return out
}

// isWorkload: a Pod-making object other than a Pod (Deployment … CronJob).
func isWorkload(o *cluster.Object) bool {
	return o.Kind != "Pod" && cluster.PodFromObject(o) != nil
}
