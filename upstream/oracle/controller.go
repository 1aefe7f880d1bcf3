package oracle

import (
	"context"
	"fmt"
	"sort"

	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/volume"
	"k8s.io/kubernetes/pkg/volume/csi"
	"k8s.io/kubernetes/pkg/volume/fc"
	"k8s.io/kubernetes/pkg/volume/hostpath"
	"k8s.io/kubernetes/pkg/volume/iscsi"
	"k8s.io/kubernetes/pkg/volume/nfs"
)

// Conflict is one directed conflict of the controller's cache (GetConflicts), with the volume that
// carries it (the model's key; the first in sort order when several do).
type Conflict struct {
	Volume        string
	Property      string
	Reason        string
	Pod           string
	Value         string
	OtherPod      string
	OtherValue    string
	EventMessages []string // the controller's events on Pod for this pair, in order
}

// ControllerResult is what the selinux-warning-controller ends with after every Pod was synced.
type ControllerResult struct {
	Conflicts []Conflict
	Events    []Event
}

// controllerPlugins is kube-controller-manager's list for this controller
// (cmd/kube-controller-manager/app/plugins.go: hostpath, nfs, fc, iscsi, csi).
func controllerPlugins() []volume.VolumePlugin {
	var all []volume.VolumePlugin
	all = append(all, hostpath.ProbeVolumePlugins(volume.VolumeConfig{})...)
	all = append(all, nfs.ProbeVolumePlugins(volume.VolumeConfig{})...)
	all = append(all, fc.ProbeVolumePlugins()...)
	all = append(all, iscsi.ProbeVolumePlugins()...)
	all = append(all, csi.ProbeVolumePlugins()...)
	return all
}

// RunController builds the controller as KCM does, fills its informers' stores with the storage
// objects, then adds the Pods in admission order and syncs each right after it is added, as the
// controller's worker would on the Pod's add event. Call it under the profile's gates. With the
// SELinuxChangePolicy gate off KCM does not start the controller: the result is empty.
func RunController(ctx context.Context, a *apiView, w *World, cpGate bool) (ControllerResult, error) {
	if !cpGate {
		return ControllerResult{}, nil
	}
	c, rec, pods := a.ctrl, a.rec, a.pods
	for _, pod := range w.Pods {
		if err := pods.Informer().GetStore().Add(pod); err != nil {
			return ControllerResult{}, err
		}
		// A sync error is what the controller would log and retry (an unresolvable volume, a pod with
		// several labels on one volume): the other volumes of the Pod are processed all the same.
		_ = controllerSync(c, ctx, cache.ObjectName{Namespace: pod.Namespace, Name: pod.Name})
	}
	res := ControllerResult{Events: rec.events}
	all := map[string]bool{}
	for _, cf := range labelCache(c).GetConflicts(klog.FromContext(ctx)) {
		all[fmt.Sprint(cf)] = true
	}
	// GetConflicts (the metric) has each directed conflict once, without a volume; the cache keeps it
	// per volume. A conflict that two volumes carry (two claims shared by the same two Pods) is one
	// conflict: it is reported once, on the first of its volumes in sort order, as selmount reports it.
	byConflict := map[string]*Conflict{}
	for vol, cs := range conflictsByVolume(labelCache(c)) {
		for _, cf := range cs {
			key := fmt.Sprint(cf)
			if !all[key] {
				return ControllerResult{}, fmt.Errorf("conflict %v on %s is not in GetConflicts", cf, vol)
			}
			volume := w.VolumeKey(string(vol))
			if prev, ok := byConflict[key]; ok {
				if volume < prev.Volume {
					prev.Volume = volume
				}
				continue
			}
			out := &Conflict{Volume: volume, Property: cf.PropertyName, Reason: cf.EventReason,
				Pod: cf.Pod.String(), Value: cf.PropertyValue, OtherPod: cf.OtherPod.String(), OtherValue: cf.OtherPropertyValue}
			for _, e := range rec.events {
				if e.Pod == out.Pod && e.Reason == cf.EventReason && e.Message == cf.EventMessage() {
					out.EventMessages = append(out.EventMessages, e.Message)
				}
			}
			byConflict[key] = out
		}
	}
	if len(byConflict) != len(all) {
		return ControllerResult{}, fmt.Errorf("the cache holds %d distinct conflicts, GetConflicts %d", len(byConflict), len(all))
	}
	for _, cf := range byConflict {
		res.Conflicts = append(res.Conflicts, *cf)
	}
	sort.Slice(res.Conflicts, func(i, j int) bool { return fmt.Sprint(res.Conflicts[i]) < fmt.Sprint(res.Conflicts[j]) })
	return res, nil
}
