package policies

import (
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// ApplyAll is the state after `kubectl apply` of objects to a cluster that has none of them: each
// Pod and workload is admitted as a CREATE in order, so the opt-out mutation applies, and every other
// object is stored as it is.
func ApplyAll(profile gates.Profile, scope OptOutScope, objs []cluster.Object) (*cluster.State, error) {
	s := cluster.NewState()
	for i := range objs {
		o := &objs[i]
		if cluster.PodFromObject(o) == nil {
			s.Apply(o)
			continue
		}
		res, err := Admit(profile, s, Request{Operation: OperationCreate, Object: o, OptOut: scope})
		if err != nil {
			return nil, err
		}
		s = res.State
	}
	return s, nil
}
