package oracle

import (
	"context"
	"sort"

	v1 "k8s.io/api/core/v1"
)

// Refusal is a Pod the kubelet refuses because another Pod holds one of its volumes with another label.
type Refusal struct {
	Pod, Other, Volume   string // pods "namespace/name", volume the model's key
	PodLabel, OtherLabel string
	Latent               bool
	Message              string
}

// Multiple is a Pod whose containers give one volume several labels.
type Multiple struct {
	Pod, PodVolume, Volume string
	Labels                 []string
	Error                  bool
}

// KubeletResult is what the kubelets say about a replay.
type KubeletResult struct {
	Refusals []Refusal
	Multiple []Multiple
	// Unresolved are pod volumes no node could build a spec for, per pod then volume.
	Unresolved map[string]map[string]string
}

// RunKubelet drives upstream's desired state of world. Every Pod a Linux node would run (not
// terminal, not Windows) is added:
//   - alone on a fresh node, for its own multiple-label errors and warnings;
//   - on its node (spec.nodeName) after the Pods admitted before it there: the Pod it conflicts with
//     is the one that holds the volume on that node;
//   - on a fresh two-Pod node after each earlier Pod it is not already on a known node with, as the
//     scheduler could place them (an unscheduled Pod can land anywhere; Pods on two different known
//     nodes are a latent pair). This placement is selmount's reading of "could meet"; the refusal on
//     each node is upstream's.
func RunKubelet(ctx context.Context, a *apiView, w *World) (KubeletResult, error) {
	k, err := newKubelet(a)
	if err != nil {
		return KubeletResult{}, err
	}
	res := KubeletResult{Unresolved: map[string]map[string]string{}}
	var pods []*v1.Pod
	for _, p := range w.Pods {
		if p.Status.Phase == v1.PodSucceeded || p.Status.Phase == v1.PodFailed || w.Windows[p.Namespace+"/"+p.Name] {
			continue
		}
		pods = append(pods, p)
	}
	for _, p := range pods {
		key := p.Namespace + "/" + p.Name
		add := k.newNode().add(p)
		for _, m := range add.Multiple {
			res.Multiple = append(res.Multiple, Multiple{Pod: key, PodVolume: m.PodVolume, Volume: w.VolumeKey(m.Volume), Labels: shown(m.Labels), Error: m.Error})
		}
		if len(add.Unresolved) > 0 {
			res.Unresolved[key] = add.Unresolved
		}
	}
	nodes := map[string]*node{}
	for _, p := range pods {
		name := p.Spec.NodeName
		if name == "" {
			continue
		}
		if nodes[name] == nil {
			nodes[name] = k.newNode()
		}
		n := nodes[name]
		add := n.add(p)
		res.Refusals = append(res.Refusals, refusals(w, n, p, add, nil, false)...)
	}
	for j, later := range pods {
		for _, earlier := range pods[:j] {
			if later.Spec.NodeName != "" && later.Spec.NodeName == earlier.Spec.NodeName {
				continue
			}
			n := k.newNode()
			n.add(earlier)
			add := n.add(later)
			latent := later.Spec.NodeName != "" && earlier.Spec.NodeName != ""
			res.Refusals = append(res.Refusals, refusals(w, n, later, add, earlier, latent)...)
		}
	}
	return res, nil
}

// refusals turns a Pod's refused volumes into Refusals against the holder (only against only, when set).
func refusals(w *World, n *node, p *v1.Pod, add podAdd, only *v1.Pod, latent bool) []Refusal {
	var out []Refusal
	for _, name := range sortedKeys(add.Refused) {
		r := add.Refused[name]
		holder := n.holder[r.Volume]
		if only != nil && holder != only.Namespace+"/"+only.Name {
			continue
		}
		out = append(out, Refusal{Pod: p.Namespace + "/" + p.Name, Other: holder, Volume: w.VolumeKey(string(r.Volume)),
			PodLabel: showLabel(r.Label), OtherLabel: showLabel(r.Held), Latent: latent, Message: r.Message})
	}
	return out
}

func shown(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = showLabel(l)
	}
	sort.Strings(out)
	return out
}
