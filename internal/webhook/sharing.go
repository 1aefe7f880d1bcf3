package webhook

import (
	"slices"
	"sync"

	"github.com/selmount/selmount/policies/cluster"
)

// volumeIndex maps each volume key of a snapshot's Pods to their positions, built once per snapshot,
// so that an admission reads only the Pods that meet the admitted one on a volume: the model's
// admission keeps no other Pod (policies' sharingWith), and the rest of its cost grew with the cluster.
type volumeIndex struct {
	state    *cluster.State
	byVolume map[string][]int
}

func newVolumeIndex(s *cluster.State) *volumeIndex {
	ix := &volumeIndex{state: s, byVolume: map[string][]int{}}
	for i, p := range s.Pods {
		vols, _ := s.ResolvePod(p)
		for _, key := range volumeKeys(vols) {
			ix.byVolume[key] = append(ix.byVolume[key], i)
		}
	}
	return ix
}

// volumeKeys are the distinct keys of a Pod's volumes, each once.
func volumeKeys(vols map[string]cluster.Volume) []string {
	seen := map[string]bool{}
	var keys []string
	for _, v := range vols {
		if v.Key != "" && !seen[v.Key] {
			seen[v.Key] = true
			keys = append(keys, v.Key)
		}
	}
	return keys
}

// narrow is the snapshot with only the Pods that share a volume with pod, and the Pod the request
// replaces, in their order: the objects they resolve through are all kept (shared, not copied).
func (ix *volumeIndex) narrow(pod *cluster.Pod) *cluster.State {
	s := ix.state
	var keep []int
	if i := s.Position(pod.Key()); i >= 0 {
		keep = append(keep, i) // an UPDATE keeps its admission position
	}
	vols, _ := s.ResolvePod(pod)
	for _, v := range vols {
		if v.Shared() {
			keep = append(keep, ix.byVolume[v.Key]...)
		}
	}
	slices.Sort(keep)
	out := cluster.NewState()
	out.PVCs, out.PVs, out.CSIDrivers, out.StorageClasses, out.Namespaces = s.PVCs, s.PVs, s.CSIDrivers, s.StorageClasses, s.Namespaces
	out.Skipped = s.Skipped
	for _, i := range slices.Compact(keep) {
		out.PutPod(s.Pods[i])
	}
	return out
}

// indexCache holds the index of the last snapshot seen: a snapshot is rebuilt only after a change.
type indexCache struct {
	mu sync.Mutex
	ix *volumeIndex
}

func (c *indexCache) of(s *cluster.State) *volumeIndex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix == nil || c.ix.state != s {
		c.ix = newVolumeIndex(s)
	}
	return c.ix
}
