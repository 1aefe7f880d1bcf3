package harness

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

const bare = `apiVersion: v1
kind: Pod
metadata: {name: app, namespace: ns}
spec:
  containers: [{name: app, image: app}]
`

const debugged = bare + `  ephemeralContainers: [{name: debugger, image: toolbox}]
`

func objects(t *testing.T, docs ...string) []cluster.Object {
	t.Helper()
	var data string
	for _, d := range docs {
		data += "---\n" + d
	}
	objs, err := cluster.Decode("objects.yaml", []byte(data))
	require.NoError(t, err)
	return objs
}

func TestEphemeralContainersArriveThroughTheirSubresource(t *testing.T) {
	objs := objects(t, bare, debugged)
	require.NoError(t, checkAdmissible(objs))
	require.Equal(t, SubresourceEphemeralContainers, subresourceOf(&objs[0], &objs[1]))
	require.Empty(t, subresourceOf(&objs[1], &objs[1]), "an UPDATE that keeps them is a plain pods UPDATE")

	err := checkAdmissible(objects(t, debugged))
	require.ErrorContains(t, err, "objects.yaml: document 1: Pod ns/app: spec.ephemeralContainers on CREATE")

	other := debugged + "  nodeName: node-1\n"
	require.ErrorContains(t, checkAdmissible(objects(t, bare, other)), "changes other spec fields too")
}

func TestReplayMarksTheDebugUpdate(t *testing.T) {
	sc := &Scenario{Name: "debug", Objects: objects(t, bare, debugged)}
	r, err := Run(t.Context(), ModelEngine{}, sc)
	require.NoError(t, err)
	require.Len(t, r.Admits, 2)
	require.Empty(t, r.Admits[0].Request.Subresource)
	require.Equal(t, SubresourceEphemeralContainers, r.Admits[1].Request.Subresource)
}
