package kubelet

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// Kubelet SELinux metrics a pod admission bumps.
const (
	MetricNone                   = ""
	MetricVolumeMismatchErrors   = "volume_manager_selinux_volume_context_mismatch_errors_total"
	MetricVolumeMismatchWarnings = "volume_manager_selinux_volume_context_mismatch_warnings_total"
	MetricPodMismatchErrors      = "volume_manager_selinux_pod_context_mismatch_errors_total"
	MetricPodMismatchWarnings    = "volume_manager_selinux_pod_context_mismatch_warnings_total"
)

// PodVolume is one pod's use of one volume, as the desired state of world receives it.
type PodVolume struct {
	Pod    string
	Name   string // the volume's display name (PV name for claims)
	Volume cluster.Volume
	Policy *corev1.PodSELinuxChangePolicy
	Opts   []selinux.Options
}

type dswEntry struct {
	effectiveLabel string
	originalLabel  string
	first          string
	pods           map[string]bool
}

// DSW is one node's desired state of world, reduced to what SELinux decides.
type DSW struct {
	profile   gates.Profile
	translate func(*selinux.Options) string
	volumes   map[string]*dswEntry
}

// NewDSW returns an empty node. translate is selinux.KubeletFileLabel on real nodes.
func NewDSW(profile gates.Profile, translate func(*selinux.Options) string) *DSW {
	return &DSW{profile: profile, translate: translate, volumes: map[string]*dswEntry{}}
}

// Result is what adding one pod to one volume did.
type Result struct {
	// Err is the error that keeps the pod in ContainerCreating, nil when it may start.
	Err    error
	Metric string
	// Against is the pod whose label the volume entry holds, when the label differed.
	Against string
}

// AddPodToVolume follows upstream: the first pod stores its labels; a later pod whose original label
// differs is refused when the volume is eligible for the mount option, and only counted otherwise.
func (d *DSW) AddPodToVolume(pv PodVolume) Result {
	supported := VolumeSupportsSELinuxMount(d.profile, pv.Volume)
	info, err := MountInfo(d.profile, pv.Policy, pv.Volume.PluginSupports, pv.Opts, d.translate)
	if err != nil {
		if supported {
			return Result{Err: err, Metric: MetricPodMismatchErrors}
		}
		// Upstream goes on with no label and, as a quirk, without plugin support.
		info = Info{}
	}
	key := pv.Volume.Key
	if key == "" {
		key = pv.Pod + "/" + pv.Name
	}
	entry, ok := d.volumes[key]
	if !ok {
		effective := info.MountLabel
		if !supported {
			effective = ""
		}
		entry = &dswEntry{effectiveLabel: effective, originalLabel: info.MountLabel, first: pv.Pod, pods: map[string]bool{}}
		d.volumes[key] = entry
	}
	res := Result{}
	if err != nil {
		res.Metric = MetricPodMismatchWarnings
	}
	if !entry.pods[pv.Pod] && info.PluginSupports && info.MountLabel != entry.originalLabel {
		if supported {
			return Result{Err: errorf(ConflictMessage(pv.Name, entry.originalLabel, info.MountLabel)), Metric: MetricVolumeMismatchErrors, Against: entry.first}
		}
		res = Result{Metric: MetricVolumeMismatchWarnings, Against: entry.first}
	}
	entry.pods[pv.Pod] = true
	return res
}

// EffectiveLabel is the label the volume is (or would be) mounted with on this node.
func (d *DSW) EffectiveLabel(key string) string {
	if e, ok := d.volumes[key]; ok {
		return e.effectiveLabel
	}
	return ""
}

type stringError string

func (e stringError) Error() string { return string(e) }

func errorf(s string) error { return stringError(s) }
