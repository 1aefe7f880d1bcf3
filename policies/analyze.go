package policies

import (
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/controller"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/kubelet"
)

// Report is everything the model says about a state. Its JSON names are the scan contract.
type Report struct {
	Profile     string               `json:"profile"`
	Conflicts   []ConflictRecord     `json:"conflicts"`
	Findings    []Finding            `json:"findings"`
	Diagnostics []cluster.Diagnostic `json:"diagnostics"`
	// Events are what the warning controller would record, in sync order.
	Events []controller.Event `json:"-"`
	// Raw controller conflicts, for the metric.
	ControllerConflicts []controller.Conflict `json:"-"`
}

// ConflictSide is one pod of a controller conflict with its value.
type ConflictSide struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Value     string `json:"value"`
}

// ConflictRecord is one directed controller conflict, as the metric has it, with the event the
// controller would record on Pod.
type ConflictRecord struct {
	Rule     string       `json:"rule"`
	Property string       `json:"property"`
	Volume   string       `json:"volume"`
	Pod      ConflictSide `json:"pod"`
	OtherPod ConflictSide `json:"otherPod"`
	Event    string       `json:"event"`
}

// Audit evaluates every rule over a whole state, with the default (namespace label) opt-out.
func Audit(profile gates.Profile, s *cluster.State) Report {
	return AuditScoped(profile, OptOutScope{}, s)
}

// AuditScoped is Audit for a cluster whose opt-out has the given scope.
func AuditScoped(profile gates.Profile, scope OptOutScope, s *cluster.State) Report {
	return analysis{profile: profile, scope: scope, state: s}.run()
}

// analysis is one run of the model over a state: an audit of every Pod, or, with focus set, the
// admission of one Pod (Admit), where only the Pods sharing a volume with it take part and only
// findings about it are kept.
type analysis struct {
	profile gates.Profile
	scope   OptOutScope
	state   *cluster.State
	// focus is the admitted Pod; nil for an audit.
	focus *cluster.Pod
	// oldHasPolicy is true when the focus Pod is an UPDATE whose stored object already set a policy,
	// which the API server then accepts whatever the gates say.
	oldHasPolicy bool
}

// run resolves the pods, runs both views and the per-pod rules.
func (a analysis) run() Report {
	rep := Report{Profile: a.profile.Name, Conflicts: []ConflictRecord{}, Findings: []Finding{}, Diagnostics: []cluster.Diagnostic{}}
	resolved, assumed, diags := resolveAll(a.state, a.scope, a.focus)
	rep.Diagnostics = append(rep.Diagnostics, diags...)
	if a.focus != nil {
		resolved = sharingWith(resolved, a.focus)
	}

	stored := storedPods(a.profile, resolved, a.focus, a.oldHasPolicy)
	cv := controller.Run(a.profile, stored, a.focus)
	kv := kubelet.Run(a.profile, stored, a.focus)
	rep.ControllerConflicts = cv.Conflicts()
	rep.Findings = append(rep.Findings, controllerFindings(cv, rep.ControllerConflicts, assumed)...)
	rep.Findings = append(rep.Findings, multipleLabelFindings(kv.Multiple)...)
	rep.Findings = append(rep.Findings, willBreakFindings(kv)...)
	for _, p := range resolved {
		if !p.Terminal() && (a.focus == nil || p.Pod == a.focus) {
			rep.Findings = append(rep.Findings, podFindings(a.profile, a.scope, a.state, p.Pod, a.oldHasPolicy && p.Pod == a.focus)...)
		}
	}
	rep.Events = cv.Events
	if a.focus != nil {
		rep.Findings = onlyAbout(rep.Findings, a.focus)
		rep.ControllerConflicts = onlyConflictsOf(rep.ControllerConflicts, a.focus)
	}
	for _, c := range rep.ControllerConflicts {
		rule := RuleLabelConflict
		if c.Property == controller.PropertyChangePolicy {
			rule = RulePolicyConflict
		}
		rep.Conflicts = append(rep.Conflicts, ConflictRecord{
			Rule: rule, Property: c.Property, Volume: cv.VolumeOf[c],
			Pod:      ConflictSide{c.Pod.Namespace, c.Pod.Name, c.PodValue},
			OtherPod: ConflictSide{c.OtherPod.Namespace, c.OtherPod.Name, c.OtherPodValue},
			Event:    controller.EventMessage(c),
		})
	}
	rep.Findings = SortFindings(rep.Findings)
	return rep
}

// resolveAll resolves every pod's volumes, in order, and names the volumes whose support was assumed.
// Each workload is read as the Pods its controller creates, with the opt-out of scope (asCreated);
// the focus pod, admitted and mutated already, is kept as it is. The diagnostics are the focus
// pod's, or, without focus, every pod's and the skipped objects'.
func resolveAll(s *cluster.State, scope OptOutScope, focus *cluster.Pod) ([]*cluster.ResolvedPod, map[string]bool, []cluster.Diagnostic) {
	resolved, diags := resolveEach(s, scope, focus)
	assumed, keys := map[string]bool{}, map[string]string{}
	var diagnostics []cluster.Diagnostic
	for i, r := range resolved {
		if focus == nil || r.Pod == focus {
			diagnostics = append(diagnostics, diags[i]...)
		}
		for j := range r.Volumes {
			v := &r.Volumes[j].Volume
			if v.Key == "" {
				continue
			}
			// Every Pod on a volume resolves its key anew; one copy is held, for all of them.
			if k, ok := keys[v.Key]; ok {
				v.Key = k
			} else {
				keys[v.Key] = v.Key
			}
			if v.Assumed {
				assumed[v.Key] = true
			}
		}
	}
	if focus == nil {
		diagnostics = append(diagnostics, s.Skipped...)
	}
	return resolved, assumed, diagnostics
}

// parallelResolve is the number of Pods from which resolveEach splits the work in two: resolving
// was a sixth of a large scan's audit, on one core, and an admission's few Pods are not worth a
// goroutine.
const parallelResolve = 4096

// resolveEach resolves each pod's volumes, the second half of a large state on another goroutine:
// resolving only reads the state.
func resolveEach(s *cluster.State, scope OptOutScope, focus *cluster.Pod) ([]*cluster.ResolvedPod, [][]cluster.Diagnostic) {
	resolved := make([]*cluster.ResolvedPod, len(s.Pods))
	diags := make([][]cluster.Diagnostic, len(s.Pods))
	resolveRange := func(from, to int) bool {
		for i := from; i < to; i++ {
			p := s.Pods[i]
			if p != focus {
				p = scope.asCreated(s, p)
			}
			var vols cluster.PodVolumes
			vols, diags[i] = s.ResolveVolumes(p)
			resolved[i] = &cluster.ResolvedPod{Pod: p, Volumes: vols}
		}
		return true
	}
	if len(s.Pods) < parallelResolve {
		resolveRange(0, len(s.Pods))
		return resolved, diags
	}
	half := len(s.Pods) / 2
	wait := inParallel(func() bool { return resolveRange(half, len(s.Pods)) })
	resolveRange(0, half)
	wait()
	return resolved, diags
}

// storedPods leaves out the pods the API server refuses (SELINUX-005 errors): they are never stored, so
// they meet no other pod on a volume and no kubelet mounts anything for them.
func storedPods(profile gates.Profile, pods []*cluster.ResolvedPod, focus *cluster.Pod, oldHasPolicy bool) []*cluster.ResolvedPod {
	out := make([]*cluster.ResolvedPod, 0, len(pods))
	for _, p := range pods {
		if rejection(profile, p.Pod, oldHasPolicy && p.Pod == focus) == "" {
			out = append(out, p)
		}
	}
	return out
}

// sharingWith keeps, in order, the focus pod and every pod that shares a volume with it.
func sharingWith(pods []*cluster.ResolvedPod, focus *cluster.Pod) []*cluster.ResolvedPod {
	keys := map[string]bool{}
	for _, p := range pods {
		if p.Pod == focus {
			for _, v := range p.Volumes {
				if v.Volume.Shared() {
					keys[v.Volume.Key] = true
				}
			}
		}
	}
	var out []*cluster.ResolvedPod
	for _, p := range pods {
		if p.Pod == focus || sharesAny(p, keys) {
			out = append(out, p)
		}
	}
	return out
}

func sharesAny(p *cluster.ResolvedPod, keys map[string]bool) bool {
	for _, v := range p.Volumes {
		if keys[v.Volume.Key] {
			return true
		}
	}
	return false
}

func onlyAbout(fs []Finding, focus *cluster.Pod) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Pod.Namespace == focus.Namespace && f.Pod.Name == focus.Name {
			out = append(out, f)
		}
	}
	return out
}

func onlyConflictsOf(cs []controller.Conflict, focus *cluster.Pod) []controller.Conflict {
	var out []controller.Conflict
	for _, c := range cs {
		if c.Pod.Namespace == focus.Namespace && c.Pod.Name == focus.Name {
			out = append(out, c)
		}
	}
	return out
}

func volumeID(v cluster.Volume, podVolume string) string {
	if v.Key != "" {
		return v.Key
	}
	return podVolume
}
