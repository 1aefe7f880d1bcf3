package kubelet

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// groupPairs folds Run's refusals into groups as findings would keep them: one per later Pod,
// earlier Pod and shown labels.
func groupPairs(refusals []Refusal) map[string]int64 {
	seen := map[string]bool{}
	out := map[string]int64{}
	for _, r := range refusals {
		key := fmt.Sprint(r.Pod.Namespace, r.Pod.Name, r.Other.Namespace, r.Other.Name, r.PodLabel, r.OtherLabel)
		if seen[key] {
			continue
		}
		seen[key] = true
		g := fmt.Sprint(r.Volume.Key, "|", r.Pod.Namespace, "|", r.PodLabel, "|", r.Latent)
		out[g+"|pod "+r.Pod.Name] = 1
		out[g+"|by "+r.Other.Namespace+" "+r.OtherLabel] += 1
	}
	return out
}

func flatten(groups []RefusalGroup) map[string]int64 {
	out := map[string]int64{}
	for _, g := range groups {
		k := fmt.Sprint(g.Volume.Key, "|", g.Namespace, "|", g.Label, "|", g.Latent)
		var sum int64
		for _, b := range g.By {
			out[k+"|by "+b.Namespace+" "+b.Label] = b.Pairs
			sum += b.Pairs
		}
		if sum != g.Pairs {
			out[k+"|pairs do not add up"] = g.Pairs - sum
		}
		for _, p := range g.Pods {
			out[k+"|pod "+p.Name] = 1
		}
	}
	return out
}

// randomPods builds pods on one eligible volume: some mount it through two pod volumes, some get a
// random level (no level set), spread over two nodes and none, in two namespaces.
func randomPods(r *rand.Rand, n int) []*cluster.ResolvedPod {
	vol := basicPV(rwx, true)
	vol.Key = "vol"
	options := []*selinux.Options{incomplete, conflicting, {Level: "s0:c5"}, {Type: "container_t"}, nil}
	nodes := []string{"", "node-1", "node-2"}
	var out []*cluster.ResolvedPod
	for i := range n {
		spec := &corev1.PodSpec{NodeName: nodes[r.IntN(len(nodes))], SecurityContext: &corev1.PodSecurityContext{}}
		if r.IntN(5) == 0 {
			spec.SecurityContext.SELinuxChangePolicy = policyPtr("Recursive")
		}
		vols := map[string]cluster.Volume{}
		for v := range 1 + r.IntN(2) {
			name := fmt.Sprintf("v%d", v)
			spec.Volumes = append(spec.Volumes, corev1.Volume{Name: name})
			spec.Containers = append(spec.Containers, corev1.Container{Name: "c" + name,
				SecurityContext: &corev1.SecurityContext{SELinuxOptions: options[r.IntN(len(options))]},
				VolumeMounts:    []corev1.VolumeMount{{Name: name, MountPath: "/" + name}}})
			vols[name] = vol
		}
		ns := []string{"a", "b"}[r.IntN(2)]
		out = append(out, &cluster.ResolvedPod{Pod: podOf(ns, fmt.Sprintf("p%d", i), spec), Volumes: cluster.CompactVolumes(vols)})
	}
	return out
}

func TestRunGroupedCountsRunsPairs(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	vol := basicPV(rwx, true)
	a := resolved("a", "node-1", "", vol, incomplete)
	b := resolved("b", "node-2", "", vol, conflicting)
	c := resolved("c", "", "Recursive", vol, incomplete)
	d := resolved("d", "node-1", "", vol, incomplete)
	pods := []*cluster.ResolvedPod{a, b, c, d}
	want := groupPairs(Run(p37, pods, nil).Refusals)
	require.Len(t, want, 9)
	require.Equal(t, want, flatten(RunGrouped(p37, pods).Refusals))

	nonEmpty := 0
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 0))
		pods := randomPods(r, 2+r.IntN(12))
		want := groupPairs(Run(p37, pods, nil).Refusals)
		require.Equal(t, want, flatten(RunGrouped(p37, pods).Refusals), "seed %d", seed)
		if len(want) > 0 {
			nonEmpty++
		}
	}
	require.Greater(t, nonEmpty, 300, "most random clusters have refusals")
}

func TestRunGroupedKeepsMultipleLabels(t *testing.T) {
	p37 := gates.Profile{RWOP: true, CP: true, Mount: true}
	pods := []*cluster.ResolvedPod{resolved("m", "", "", basicPV(rwx, true), incomplete, conflicting)}
	require.Equal(t, Run(p37, pods, nil).Multiple, RunGrouped(p37, pods).Multiple)
}
