package oracle

import (
	"context"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/selinux"
)

// Classes of differences between the model and upstream; divergences.yaml gives each its reason.
const (
	ClassLockedGate     = "locked-gate-override"
	ClassNoLevel        = "options-without-level"
	ClassInlineEligible = "inline-in-tree-eligible"
	ClassVolumeMode     = "volume-mode-mismatch"
	ClassClaimRefByUID  = "claimref-uid-not-name"
	ClassNFSName        = "nfs-volume-name"
	ClassTwiceKubelet   = "volume-twice-in-pod-kubelet"
	ClassRejectedPod    = "rejected-pod-participates"
	ClassTwiceCtrl      = "volume-twice-in-pod-controller"
)

// facts is what a classifier may look at: the replayed cluster as the model decoded it.
type facts struct {
	r     *harness.Replay
	d     harness.Difference
	state *cluster.State
	up    *Result
}

func newFacts(r *harness.Replay, d harness.Difference) *facts {
	s := cluster.NewState()
	for i := range r.Final {
		s.Apply(&r.Final[i])
	}
	return &facts{r: r, d: d, state: s}
}

// Classify names the class of a difference after checking, on the replayed cluster, that the
// condition behind the class really holds; "" when no class explains it.
func Classify(r *harness.Replay, d harness.Difference) string {
	f := newFacts(r, d)
	for _, c := range classifiers {
		if c.holds(f) {
			return c.class
		}
	}
	return ""
}

type classifier struct {
	class string
	holds func(*facts) bool
}

// classifiers are tried in order; the first whose condition holds names the class. A difference with
// several causes is counted under the first: the specific, per-volume causes come before the two
// classes about a Pod that mounts one volume twice.
var classifiers = []classifier{
	// A Pod the API server rejects (SELINUX-005) never exists: no controller or kubelet sees it.
	{ClassRejectedPod, func(f *facts) bool {
		if f.d.Rule == "SELINUX-005" {
			return false
		}
		for _, p := range f.involved() {
			for _, x := range f.upstream().Findings {
				if x.Rule == "SELINUX-005" && x.Pod.Key() == p.Key() {
					return true
				}
			}
		}
		return false
	}},
	// The kubelet gives options with user/role/type but no level a fresh level per translation.
	{ClassNoLevel, func(f *facts) bool {
		if d := f.d; d.Rule != "SELINUX-003" && d.Rule != "SELINUX-006" {
			return false
		}
		for _, p := range f.involved() {
			for _, name := range f.podVolumesFor(p, f.d.Volume) {
				if noLevelMount(p, name) {
					return true
				}
			}
		}
		return false
	}},
	// The NFS plugin names a volume "<server>/<path>"; the model writes "<server>:<path>".
	{ClassNFSName, func(f *facts) bool {
		return strings.HasPrefix(f.d.Volume, "kubernetes.io/nfs/") && len(f.podsUsing(f.d.Volume)) > 0
	}},
	// The kubelet builds a PV spec for an inline in-tree volume it migrates: eligible like a PV.
	{ClassInlineEligible, func(f *facts) bool {
		if d := f.d; d.Rule != "SELINUX-003" && d.Rule != "SELINUX-006" {
			return false
		}
		for _, p := range f.involved() {
			for _, name := range f.podVolumesFor(p, f.d.Volume) {
				if inlineMigrated(p, name) {
					return true
				}
			}
		}
		return false
	}},
	// The populator refuses a claim whose volumeMode does not match how a container uses it, before
	// any SELinux check. That Pod may be a third one: on its node it never holds the volume.
	{ClassVolumeMode, func(f *facts) bool {
		up := f.upstream()
		for _, p := range f.podsUsing(f.d.Volume) {
			for _, name := range f.podVolumesFor(p, f.d.Volume) {
				if strings.Contains(up.Kubelet.Unresolved[p.Key()][name], "volumeMode") {
					return true
				}
			}
		}
		return false
	}},
	// Upstream resolves a claim through a PV whose claimRef.uid equals the claim's uid, whatever names
	// the claimRef carries.
	{ClassClaimRefByUID, func(f *facts) bool {
		for _, p := range f.involved() {
			if f.claimRefNamesOther(p) {
				return true
			}
		}
		return false
	}},
	// The DSW checks a Pod's label against the volume only when the Pod is not yet on it: of two pod
	// volumes that are one volume, the first (spec order) decides.
	{ClassTwiceKubelet, func(f *facts) bool {
		return (f.d.Rule == "SELINUX-006" || f.d.Rule == "SELINUX-003") && f.twice()
	}},
	// The controller stores one label per Pod and volume; of two pod volumes that are one volume, the
	// last one synced wins, in the iteration order of a Go map (a sets.Set).
	{ClassTwiceCtrl, func(f *facts) bool {
		return (f.d.Rule == "SELINUX-001" || f.d.Rule == "SELINUX-002") && f.twice()
	}},
}

// podsUsing are the pods with a pod volume whose model key (or pod volume name) is volume.
func (f *facts) podsUsing(volume string) []*cluster.Pod {
	var out []*cluster.Pod
	for _, p := range f.state.Pods {
		if len(f.podVolumesFor(p, volume)) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// podVolumesFor are the pod's volume names that resolve to volume (or are named volume).
func (f *facts) podVolumesFor(p *cluster.Pod, volume string) []string {
	vols, _ := f.state.ResolvePod(p)
	var out []string
	for name, v := range vols {
		if v.Key == volume || name == volume || v.Key == nfsModelKey(volume) {
			out = append(out, name)
		}
	}
	return out
}

// noLevelMount tells whether a container of p mounts pod volume name with effective options that set
// user, role or type but no level.
func noLevelMount(p *cluster.Pod, name string) bool {
	use := selinux.PodVolumeUse(p.Spec)
	for _, o := range use.OptionsFor[name] {
		if o.Level == "" && (o.User != "" || o.Role != "" || o.Type != "") {
			return true
		}
	}
	return false
}

// inlineMigrated tells whether pod volume name is an inline in-tree volume upstream migrates to CSI.
func inlineMigrated(p *cluster.Pod, name string) bool {
	for _, v := range p.Spec.Volumes {
		if v.Name == name {
			s := v.VolumeSource
			return s.AWSElasticBlockStore != nil || s.GCEPersistentDisk != nil || s.AzureDisk != nil || s.AzureFile != nil ||
				s.Cinder != nil || s.VsphereVolume != nil || s.PortworxVolume != nil
		}
	}
	return false
}

// twice tells whether an involved pod has two pod volumes that resolve to the difference's volume.
func (f *facts) twice() bool {
	for _, p := range f.involved() {
		if len(f.podVolumesFor(p, f.d.Volume)) > 1 {
			return true
		}
	}
	return false
}

// involved are the pods a difference names: its pod and any pod its finding texts name.
func (f *facts) involved() []*cluster.Pod {
	var out []*cluster.Pod
	for _, p := range f.state.Pods {
		if p.Key() == f.d.Pod || mentions(f.d, "vs "+p.Key()+" ") {
			out = append(out, p)
		}
	}
	return out
}

// upstream replays the final cluster through upstream once, for classifiers that need its details.
func (f *facts) upstream() Result {
	if f.up == nil {
		res, err := Replay(context.Background(), f.r.Scenario.Profile, f.state, nil)
		if err != nil {
			return Result{}
		}
		f.up = &res
	}
	return *f.up
}

// claimRefNamesOther tells whether a claim of p is bound to a PV whose claimRef names another claim
// but carries the claim's uid (both empty counts: upstream compares the strings).
func (f *facts) claimRefNamesOther(p *cluster.Pod) bool {
	for _, v := range p.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		pvc := f.state.PVCs[p.Namespace+"/"+v.PersistentVolumeClaim.ClaimName]
		if pvc == nil || pvc.Spec.VolumeName == "" {
			continue
		}
		pv := f.state.PVs[pvc.Spec.VolumeName]
		if pv == nil || pv.Spec.ClaimRef == nil {
			continue
		}
		ref := pv.Spec.ClaimRef
		if (ref.Namespace != pvc.Namespace || ref.Name != pvc.Name) && ref.UID == pvc.UID && pvc.Status.Phase == corev1.ClaimBound {
			return true
		}
	}
	return false
}

func mentions(d harness.Difference, s string) bool {
	return strings.Contains(d.Wanted, s) || strings.Contains(d.Got, s)
}

// nfsModelKey turns the NFS plugin's unique name ("kubernetes.io/nfs/<server>/<path>", path starting
// with "/") into the model's key for it ("kubernetes.io/nfs/<server>:<path>").
func nfsModelKey(volume string) string {
	rest, ok := strings.CutPrefix(volume, "kubernetes.io/nfs/")
	if !ok {
		return ""
	}
	server, path, ok := strings.Cut(rest, "//")
	if !ok {
		return ""
	}
	return "kubernetes.io/nfs/" + server + ":/" + path
}
