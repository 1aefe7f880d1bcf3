package controller

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// View is what the controller reports after syncing every pod.
type View struct {
	Cache *Cache
	// Events are in sync order: conflict events, then MultipleSELinuxLabels warnings.
	Events []Event
	// VolumeOf names one volume (the first in sort order) that carries each conflict.
	VolumeOf map[Conflict]string
}

// Run syncs the pods in order, as the controller's single worker would; without the CP gate the
// controller does not run and the view is empty. With
// focus set, the other pods are only recorded and the focus pod is synced last, so that only its
// conflicts are computed (the cache's final state does not depend on sync order).
func Run(profile gates.Profile, pods []*cluster.ResolvedPod, focus *cluster.Pod) *View {
	v := &View{Cache: NewCache(), VolumeOf: map[Conflict]string{}}
	if !profile.ControllerRuns() {
		return v
	}
	var last *cluster.ResolvedPod
	for _, p := range pods {
		if focus != nil && p.Pod == focus {
			last = p
			continue
		}
		v.sync(profile, p, focus != nil)
	}
	if last != nil {
		v.sync(profile, last, false)
	}
	for volume, list := range v.Cache.conflicts {
		for _, c := range list {
			if old, ok := v.VolumeOf[c]; !ok || volume < old {
				v.VolumeOf[c] = volume
			}
		}
	}
	return v
}

func (v *View) sync(profile gates.Profile, p *cluster.ResolvedPod, recordOnly bool) {
	ref := PodRef{Namespace: p.Namespace, Name: p.Name}
	if p.Terminal() {
		v.Cache.DeletePod(ref)
		return
	}
	use := p.Model.Use()
	for _, name := range use.Mounts {
		vol, ok := p.Volumes.Get(name)
		if !ok {
			continue
		}
		// GetMountSELinuxLabel runs on every volume the controller builds a spec for, emptyDir and
		// configMap included, before it looks for a plugin; without the RWOP gate it returns early.
		labels := selinux.LabelSet(use.OptionsFor(name), selinux.ControllerLabel)
		if len(labels) > 1 && profile.RWOP {
			v.Events = append(v.Events, MultipleLabelsEvent(ref, name))
			continue
		}
		if vol.Key == "" {
			continue
		}
		label, policy := MountLabelAndPolicy(profile, p.Pod, vol, labels)
		if recordOnly {
			v.Cache.Record(vol.Key, ref, label, policy, vol.CSIDriver)
			continue
		}
		for _, c := range v.Cache.AddVolume(vol.Key, ref, label, policy, vol.CSIDriver) {
			v.Events = append(v.Events, ConflictEvent(c))
		}
	}
}

// MountLabelAndPolicy is what the controller stores for a pod on a volume: the mount label, cleared by
// Recursive or by a plugin that cannot mount with context, and the policy, forced to Recursive when
// there is no label or no support.
func MountLabelAndPolicy(profile gates.Profile, p *cluster.Pod, vol cluster.Volume, labels []string) (string, string) {
	label := ""
	if len(labels) == 1 {
		label = labels[0]
	}
	supports := profile.RWOP && vol.PluginSupports
	if !profile.RWOP {
		label = ""
	}
	policy := string(corev1.SELinuxChangePolicyMountOption)
	if cp := p.ChangePolicy(); cp != nil {
		policy = string(*cp)
	}
	if policy == string(corev1.SELinuxChangePolicyRecursive) || !supports {
		label = ""
	}
	if label == "" {
		policy = string(corev1.SELinuxChangePolicyRecursive)
	}
	return label, policy
}

// Conflicts are the active conflicts, deduplicated and sorted.
func (v *View) Conflicts() []Conflict { return v.Cache.GetConflicts() }
