package controller

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

func resolvedPods(t *testing.T, pods ...string) []*cluster.ResolvedPod {
	t.Helper()
	doc := c5Storage + "---" + fmtDriver("true")
	for _, p := range pods {
		doc += p
	}
	objs, err := cluster.Decode("classes.yaml", []byte(doc))
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	var out []*cluster.ResolvedPod
	for _, p := range s.Pods {
		vols, _ := s.ResolvePod(p)
		out = append(out, &cluster.ResolvedPod{Pod: p, Volumes: cluster.CompactVolumes(vols)})
	}
	return out
}

// Expanding the classes gives Run's conflicts; a terminal pod and a pod with two labels on the volume
// are left out as sync leaves them out.
func TestClassesExpandToRunConflicts(t *testing.T) {
	profile := gates.Profile{RWOP: true, CP: true, Mount: true}
	pods := resolvedPods(t,
		pod("a1", "s0:c1", "", "Running", withPVC+withInline), pod("a2", "s0:c1", "", "Running", withPVC),
		pod("b1", "s0:c2", "", "Running", withPVC+withInline), pod("r1", "", rec, "Running", withPVC),
		pod("done", "s0:c3", "", "Succeeded", withPVC), pod("r2", "s0:c9", rec, "Pending", withInline))
	classes := Classes(profile, pods)
	var got []Conflict
	seen := map[Conflict]bool{}
	EachConflict(classes, func(_ string, c Conflict) bool {
		if !seen[c] {
			seen[c] = true
			got = append(got, c)
		}
		return true
	})
	SortConflicts(got)
	want := Run(profile, pods, nil).Conflicts()
	require.NotEmpty(t, want)
	require.Equal(t, want, got)

	var onPV []string
	for _, c := range classes {
		if c.Volume == pv1Key {
			onPV = append(onPV, c.Label+"|"+c.Policy+"|"+c.Pods[0].Name)
			if c.Label == ":::s0:c1" {
				require.Len(t, c.Pods, 2, "a1 and a2 share a class")
			}
		}
	}
	require.Equal(t, []string{"|Recursive|r1", ":::s0:c1|MountOption|a1", ":::s0:c2|MountOption|b1"}, onPV, "sorted, the terminal pod left out")
}

func TestEachConflictStops(t *testing.T) {
	profile := gates.Profile{RWOP: true, CP: true, Mount: true}
	classes := Classes(profile, resolvedPods(t,
		pod("a", "s0:c1", "", "Running", withPVC), pod("b", "s0:c2", "", "Running", withPVC), pod("c", "s0:c3", "", "Running", withPVC)))
	n := 0
	EachConflict(classes, func(string, Conflict) bool { n++; return n < 4 })
	require.Equal(t, 4, n)
}

func TestClassesEmptyWithoutController(t *testing.T) {
	pods := resolvedPods(t, pod("a", "s0:c1", "", "Running", withPVC), pod("b", "s0:c2", "", "Running", withPVC))
	require.Empty(t, Classes(gates.Profile{}, pods))
}
