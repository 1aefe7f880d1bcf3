package cluster

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestDecodeYAMLStreamAndList(t *testing.T) {
	doc := `# leading comment
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: null
---
---
null
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: PersistentVolume, metadata: {name: pv1, namespace: ignored}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}, spec: {template: {spec: {}}}}
- {apiVersion: v1, kind: Service, metadata: {name: svc}}
`
	objs, err := Decode("in.yaml", []byte(doc))
	require.NoError(t, err)
	require.Len(t, objs, 4)
	require.Equal(t, "Pod default/a", objs[0].ID())
	require.Equal(t, Source{File: "in.yaml", Doc: 1, Line: 3}, objs[0].Source)
	require.Equal(t, "PersistentVolume pv1", objs[1].ID(), "cluster-scoped objects drop a namespace")
	require.Equal(t, Source{File: "in.yaml", Doc: 3, Item: 1, Line: 11}, objs[1].Source)
	require.Equal(t, "in.yaml: document 3, item 2", objs[2].Source.String())
	require.Nil(t, objs[3].Typed, "unknown kinds are kept untyped")
	require.IsType(t, &corev1.Pod{}, objs[0].Typed)
}

func TestDecodeInlineDocumentAfterSeparator(t *testing.T) {
	objs, err := Decode("in.yaml", []byte("---\n--- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n--- # comment\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n"))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	require.Equal(t, Source{File: "in.yaml", Doc: 1, Line: 2}, objs[0].Source)
	require.Equal(t, Source{File: "in.yaml", Doc: 2, Line: 4}, objs[1].Source)
}

func TestDecodeJSON(t *testing.T) {
	objs, err := Decode("dump.json", []byte(` {"apiVersion":"v1","kind":"PodList","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"}}]}`))
	require.NoError(t, err)
	require.Len(t, objs, 1)
	require.Equal(t, "Pod n/p", objs[0].ID())
}

func TestDecodeErrorsNameFileAndDocument(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"malformed YAML", "kind: Service\n---\nkind: [unclosed\n", "bad.yaml: document 2: malformed YAML"},
		{"no kind", "apiVersion: v1\nmetadata: {name: x}\n", "bad.yaml: document 1: object has no kind"},
		{"pod without name", "apiVersion: v1\nkind: Pod\nmetadata: {}\n", "bad.yaml: document 1: Pod has no metadata.name"},
		{"scalar document", "just text\n", "bad.yaml: document 1: document is not an object"},
		{"wrong field type", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 5}\n", "bad.yaml: document 1: Pod default/p"},
		{"list item without kind", "kind: List\nitems: [{metadata: {name: a}}]\n", "bad.yaml: document 1, item 1: object has no kind"},
		{"malformed JSON", `{"kind": "Pod",`, "bad.yaml: document 1: malformed JSON"},
	} {
		_, err := Decode("bad.yaml", []byte(tc.doc))
		require.Error(t, err, tc.name)
		require.Contains(t, err.Error(), tc.want, tc.name)
	}
}

// A parser's refusal is a *MalformedError, which a folder scan reports and goes on; nothing else is,
// least of all a limit, which must stay fatal. The decoders agree, and the message is unchanged.
func TestDecodeMalformedIsTyped(t *testing.T) {
	for _, tc := range []struct {
		name, doc        string
		malformed, limit bool
		src              Source
	}{
		{name: "YAML, first document", doc: "kind: Pod\nmetadata: {name: x\n", malformed: true, src: Source{File: "f", Doc: 1, Line: 1}},
		{name: "YAML, later document", doc: "kind: Service\n---\n# c\nkind: [unclosed\n", malformed: true, src: Source{File: "f", Doc: 2, Line: 3}},
		{name: "JSON stream", doc: `{"kind": "Pod", "metadata": {"name": "a"}} {"kind": "Pod",`, malformed: true, src: Source{File: "f", Doc: 2}},
		{name: "Helm template", doc: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n", malformed: true, src: Source{File: "f", Doc: 1, Line: 1}},
		{name: "no kind after an object", doc: "kind: Service\n---\nfoo: bar\n"},
		{name: "wrong field type", doc: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 5}\n"},
		{name: "object over the limit", doc: `{"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": "` + strings.Repeat("x", MaxObjectBytes) + `"}}`, limit: true},
		{name: "alias bomb", doc: "kind: ConfigMap\na: &a [\"" + strings.Repeat("x", 1000) + "\"]\nb: [" + strings.TrimSuffix(strings.Repeat("*a,", 2000), ",") + "]\n", limit: true},
	} {
		_, err := Decode("f", []byte(tc.doc))
		require.Error(t, err, tc.name)
		_, scanErr := DecodeScan("f", []byte(tc.doc))
		require.EqualError(t, scanErr, err.Error(), tc.name)
		var malformed *MalformedError
		require.Equal(t, tc.malformed, errors.As(err, &malformed), "%s: %v", tc.name, err)
		require.Equal(t, tc.malformed, errors.As(scanErr, &malformed), "%s: %v", tc.name, scanErr)
		var limit *LimitError
		require.Equal(t, tc.limit, errors.As(err, &limit), "%s: %v", tc.name, err)
		if tc.malformed {
			require.Equal(t, tc.src, malformed.Source, tc.name)
			require.Contains(t, err.Error(), tc.src.String()+": malformed "+malformed.Format+": ", tc.name)
		}
	}
}

func TestBuildRejectsDuplicates(t *testing.T) {
	a, err := Decode("a.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
	require.NoError(t, err)
	b, err := Decode("b.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\n"))
	require.NoError(t, err)
	_, err = Build(append(a, b...))
	require.ErrorContains(t, err, "b.yaml: document 1: duplicate object Pod default/p (first at a.yaml: document 1)")
}

func TestEmptyInput(t *testing.T) {
	objs, err := Decode("empty.yaml", nil)
	require.NoError(t, err)
	require.Empty(t, objs)
	s, err := Build(objs)
	require.NoError(t, err)
	require.Empty(t, s.Pods)
}
