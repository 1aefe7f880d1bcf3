package policies

import (
	"fmt"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Admission operations.
const (
	OperationCreate = "CREATE"
	OperationUpdate = "UPDATE"
)

// Request is one admission of a Pod or workload.
type Request struct {
	Operation string
	Object    *cluster.Object
	// OldObject is the stored object on UPDATE.
	OldObject *cluster.Object
	// OptOut is the scope of the opt-out installed in the cluster (zero: namespace labels).
	OptOut OptOutScope
}

// AdmitResult is what admission did to the object and what the rules say about it.
type AdmitResult struct {
	// Pod is the admitted pod after the opt-out mutation.
	Pod *cluster.Pod
	// Mutated is true when SELINUX-004 set the policy (for a workload: on the Pods it creates).
	Mutated  bool
	Findings []Finding
	Report   Report
	// State is the state after the admission, for replaying the next request.
	State *cluster.State
}

// Admit replays one admission against the pods already admitted: SELINUX-004 first, then the findings
// about the admitted pod (for conflicts, those whose pod is the admitted one).
func Admit(profile gates.Profile, s *cluster.State, req Request) (AdmitResult, error) {
	if req.Operation != OperationCreate && req.Operation != OperationUpdate {
		return AdmitResult{}, fmt.Errorf("%s: operation %q is not CREATE or UPDATE", req.Object.Source, req.Operation)
	}
	pod := cluster.PodFromObject(req.Object)
	if pod == nil {
		return AdmitResult{}, fmt.Errorf("%s: %s is not a Pod or workload", req.Object.Source, req.Object.ID())
	}
	res := AdmitResult{Pod: pod}
	if v := req.OptOut.Mutation(s, pod, req.Operation); v != "" {
		res.Pod, res.Mutated = withChangePolicy(pod, v), true
	}
	oldHasPolicy := false
	if req.Operation == OperationUpdate && req.OldObject != nil {
		if old := cluster.PodFromObject(req.OldObject); old != nil {
			oldHasPolicy = old.ChangePolicy() != nil
		}
	}
	res.State = s.Clone()
	res.State.PutPod(res.Pod)
	res.Report = analysis{profile: profile, scope: req.OptOut, state: res.State, focus: res.Pod, oldHasPolicy: oldHasPolicy}.run()
	res.Findings = res.Report.Findings
	return res, nil
}
