package cluster

import (
	"cmp"
	"slices"
)

// PodVolumes are a resolved Pod's volumes by pod volume name, in name order. A scan holds them
// for every Pod at once: as a map, ~1 KB for a Pod's usual three volumes, as a slice a third of
// that, and a Pod has few volumes enough that a lookup by scanning is as quick.
type PodVolumes []PodVolume

// CompactVolumes turns what ResolvePod returns into PodVolumes.
func CompactVolumes(m map[string]Volume) PodVolumes {
	out := make(PodVolumes, 0, len(m))
	for name, v := range m {
		out = append(out, PodVolume{Name: name, Volume: v})
	}
	slices.SortFunc(out, func(a, b PodVolume) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// Get is the volume of that name, as an index into the map was.
func (vs PodVolumes) Get(name string) (Volume, bool) {
	for i := range vs {
		if vs[i].Name == name {
			return vs[i].Volume, true
		}
	}
	return Volume{}, false
}
