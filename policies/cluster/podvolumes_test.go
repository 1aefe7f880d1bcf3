package cluster_test

import (
	"testing"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
)

func TestPodVolumesAnswerAsTheMap(t *testing.T) {
	m := map[string]cluster.Volume{"b": {Key: "kb"}, "a": {Key: "ka"}, "c": {Key: ""}}
	vs := cluster.CompactVolumes(m)
	require.Len(t, vs, len(m))
	require.Equal(t, "a", vs[0].Name, "in name order, whatever the map's")
	for _, name := range []string{"a", "b", "c", "d"} {
		want, wantOK := m[name]
		got, ok := vs.Get(name)
		require.Equal(t, wantOK, ok, name)
		require.Equal(t, want, got, name)
	}
	_, ok := cluster.CompactVolumes(nil).Get("a")
	require.False(t, ok)
}
