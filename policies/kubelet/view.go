package kubelet

import (
	"errors"
	"slices"
	"sort"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// Refusal is a pair of pods on one volume where the kubelet refuses the later one.
type Refusal struct {
	Pod, Other *cluster.ResolvedPod
	PodVolume  string // the refused pod's volume name
	Volume     cluster.Volume
	PodLabel   string
	OtherLabel string
	// Latent pairs are scheduled to different nodes today, so they do not meet yet.
	Latent  bool
	Message string
}

// MultipleLabels is a pod whose containers give one volume different file labels.
type MultipleLabels struct {
	Pod       *cluster.ResolvedPod
	PodVolume string
	Volume    cluster.Volume
	Labels    []string
	// Error is true when the kubelet refuses the pod (eligible volume), false when it only counts it.
	Error bool
}

// View is the kubelet's verdicts over a set of pods.
type View struct {
	Refusals []Refusal
	Multiple []MultipleLabels
}

type member struct {
	pod      *cluster.ResolvedPod
	name     string
	vol      cluster.Volume
	label    string
	supports bool
	// first is the pod's first pod volume on this volume: the one that holds it when nothing refuses it.
	first bool
}

// Run evaluates every pod (only focus, when set), then every pair of pods on one shared volume in admission order: the later
// pod of a pair is refused when it would be on a node where the earlier one set the volume's label.
func Run(profile gates.Profile, pods []*cluster.ResolvedPod, focus *cluster.Pod) *View {
	v := &View{}
	groups, order := v.collect(profile, pods, focus)
	for _, key := range order {
		v.Refusals = append(v.Refusals, refusals(profile, groups[key], focus)...)
	}
	return v
}

// collect records the pods' multiple-label verdicts and returns the members of every shared volume,
// volumes in the order they were first met.
func (v *View) collect(profile gates.Profile, pods []*cluster.ResolvedPod, focus *cluster.Pod) (map[string][]member, []string) {
	groups := map[string][]member{}
	var order []string
	// One allocator for the whole run: a random level never equals another, on any pod or node.
	translate := selinux.UniqueLevels(selinux.KubeletFileLabel)
	for _, p := range pods {
		if p.Terminal() || p.Windows() {
			continue
		}
		use := p.Model.Use()
		added := map[string]bool{}
		for _, name := range PopulatorOrder(p.Model, use) {
			vol, ok := p.Volumes.Get(name)
			if !ok || !modeMatches(name, vol, use) {
				continue
			}
			info, err := MountInfo(profile, p.ChangePolicy(), vol.PluginSupports, use.OptionsFor(name), translate)
			if multi := (*MultipleLabelsError)(nil); errors.As(err, &multi) {
				eligible := VolumeSupportsSELinuxMount(profile, vol)
				if focus == nil || p.Pod == focus {
					v.Multiple = append(v.Multiple, MultipleLabels{Pod: p, PodVolume: name, Volume: vol, Labels: shownAll(multi.Labels), Error: eligible})
				}
				if eligible {
					continue
				}
				info = Info{}
			}
			if !vol.Shared() {
				continue
			}
			if _, seen := groups[vol.Key]; !seen {
				order = append(order, vol.Key)
			}
			groups[vol.Key] = append(groups[vol.Key], member{pod: p, name: name, vol: vol, label: info.MountLabel, supports: info.PluginSupports, first: !added[vol.Key]})
			added[vol.Key] = true
		}
	}
	return groups, order
}

// refusals groups earlier pods by mount label, so that a volume with many pods of one label costs
// one comparison per distinct label rather than one per pod. On one known node the kubelet compares
// with the first pod there only (a refused pod never holds the volume); pods on different known nodes
// are latent pairs; an unscheduled pod may meet any earlier pod. With focus set, only pairs whose
// later pod is focus are evaluated.
//
// A pod that mounts the volume through several pod volumes is added once per pod volume, in
// spec.volumes order, and AddPodToVolume compares labels only while the pod is not on the volume yet:
// its later pod volumes meet an earlier pod only when every earlier one was refused by that pod.
func refusals(profile gates.Profile, members []member, focus *cluster.Pod) []Refusal {
	var out []Refusal
	byLabel := map[string][]int{}
	var labels []string
	holder := map[string]int{}
	// tried are the labels of the pod's pod volumes met so far, all refused by whoever they met;
	// holds is set once one of them was added without a comparison.
	var tried []string
	holds := false
	for j, later := range members {
		node := later.pod.Model.NodeName
		if later.first {
			tried, holds = nil, false
			if _, held := holder[node]; !held && node != "" {
				holder[node] = j
			}
		}
		compared := later.supports && VolumeSupportsSELinuxMount(profile, later.vol)
		if compared && !holds && (focus == nil || later.pod.Pod == focus) {
			var earlier []int
			for _, l := range labels {
				if l != later.label && !slices.Contains(tried, l) {
					earlier = append(earlier, byLabel[l]...)
				}
			}
			sort.Ints(earlier)
			for _, i := range earlier {
				e := members[i]
				sameNode := node != "" && e.pod.Model.NodeName == node
				if e.pod != later.pod && (!sameNode || holder[node] == i) {
					out = append(out, refusal(later, e))
				}
			}
		}
		holds = holds || !compared
		tried = append(tried, later.label)
		if !later.first {
			continue
		}
		if _, seen := byLabel[later.label]; !seen {
			labels = append(labels, later.label)
		}
		byLabel[later.label] = append(byLabel[later.label], j)
	}
	return out
}

func refusal(later, earlier member) Refusal {
	return Refusal{
		Pod: later.pod, Other: earlier.pod, PodVolume: later.name, Volume: later.vol,
		PodLabel: selinux.Shown(later.label), OtherLabel: selinux.Shown(earlier.label),
		Latent:  later.pod.Model.NodeName != "" && earlier.pod.Model.NodeName != "" && later.pod.Model.NodeName != earlier.pod.Model.NodeName,
		Message: ConflictMessage(volumeDisplayName(later), selinux.Shown(earlier.label), selinux.Shown(later.label)),
	}
}

func volumeDisplayName(m member) string {
	if m.vol.SpecName != "" {
		return m.vol.SpecName
	}
	return m.name
}

func shownAll(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = selinux.Shown(l)
	}
	return out
}
