package cluster_test

import (
	"testing"

	"github.com/selmount/selmount/policies/cluster"
)

// The YAML fast path counts documents and lines as Decode does (blank and comment-only documents
// do not count; a "..." end and a document on its "---" line do), expands Lists, and reads each
// object as Decode would.
func TestDecodeScanReadsYAMLDocumentByDocument(t *testing.T) {
	const stream = "# only a comment\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: team}\n" +
		"spec:\n  securityContext: {seLinuxOptions: {level: 's0:c1,c2'}}\n  containers: [{name: c}]\n" +
		"---\n\n---\napiVersion: v1\nkind: List\nitems:\n" +
		"- {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: c, namespace: team}, spec: {accessModes: [ReadWriteMany]}}\n" +
		"- {apiVersion: v1, kind: ConfigMap, metadata: {name: m}}\n...\n" +
		"--- {apiVersion: v1, kind: Namespace, metadata: {name: team, labels: {a: b}}}\n"
	cluster.RequireSameDecode(t, "s.yaml", []byte(stream))
	objs, fast := cluster.DecodeFast("s.yaml", []byte(stream))
	if !fast {
		t.Fatal("the fast path gave up on plain YAML")
	}
	want := []cluster.Source{
		{File: "s.yaml", Doc: 1, Line: 3},
		{File: "s.yaml", Doc: 2, Line: 12, Item: 1},
		{File: "s.yaml", Doc: 2, Line: 12, Item: 2},
		{File: "s.yaml", Doc: 3, Line: 18}, // on its "---" line
	}
	if len(objs) != len(want) {
		t.Fatalf("%d objects, want %d", len(objs), len(want))
	}
	for i, o := range objs {
		if o.Source != want[i] {
			t.Errorf("object %d (%s): source %+v, want %+v", i, o.ID(), o.Source, want[i])
		}
	}
	if _, ok := objs[0].Typed.(*cluster.Pod); !ok {
		t.Errorf("the Pod was decoded as %T, not the *Pod the model reads", objs[0].Typed)
	}
}

// Shapes the fast path leaves to Decode: whatever Decode makes of them (an error, a skipped
// document), DecodeScan makes the same.
func TestDecodeScanLeavesOddYAMLToDecode(t *testing.T) {
	for _, stream := range []string{
		"null\n",
		"- a\n- b\n",
		"just a string\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n~\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: [\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nitems: [1]\n",
		"apiVersion: v1\nkind: List\nitems: null\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, ports: [{containerPort: http}]}]}\n",
		"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\nkind: Pod\n",
	} {
		cluster.RequireSameDecode(t, "odd.yaml", []byte(stream))
		if _, fast := cluster.DecodeFast("odd.yaml", []byte(stream)); fast {
			t.Errorf("the fast path took %q", stream)
		}
	}
}
