package harness

import "github.com/selmount/selmount/policies/cluster"

// changePolicyOf is a Pod's or workload template's seLinuxChangePolicy, "" when unset.
func changePolicyOf(o *cluster.Object) string {
	if p := cluster.PodFromObject(o); p != nil && p.ChangePolicy() != nil {
		return string(*p.ChangePolicy())
	}
	return ""
}

// changePolicies is every pod's policy after the model's admissions.
func changePolicies(r *Replay) map[string]string {
	out := map[string]string{}
	for i := range r.Final {
		if p := cluster.PodFromObject(&r.Final[i]); p != nil {
			out[p.Key()] = changePolicyOf(&r.Final[i])
		}
	}
	return out
}
