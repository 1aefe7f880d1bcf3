package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

// objectLines decodes data and returns, per object, the line the index gives and that line's text.
func objectLines(t *testing.T, name string, data []byte) ([]cluster.Object, []int, []string) {
	t.Helper()
	objs, err := cluster.Decode(name, data)
	require.NoError(t, err)
	idx := newLineIndex(map[string][]byte{name: data})
	text := strings.Split(string(data), "\n")
	var lines []int
	var texts []string
	for _, o := range objs {
		l := idx.line(o.Source)
		lines = append(lines, l)
		if l > 0 && l <= len(text) {
			texts = append(texts, text[l-1])
		} else {
			texts = append(texts, "")
		}
	}
	return objs, lines, texts
}

func TestLineIndexYAML(t *testing.T) {
	data := "# banner\n\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# second\nkind: Namespace\napiVersion: v1\nmetadata: {name: b}\n" +
		"---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: c\n    annotations:\n      note: |\n        - not an item\n-   apiVersion: v1\n    kind: Namespace\n    metadata: {name: d}\nmetadata: {}\n"
	objs, lines, texts := objectLines(t, "f.yaml", []byte(data))
	require.Len(t, objs, 4)
	assert.Equal(t, []int{4, 9, 16, 23}, lines)
	assert.Equal(t, "apiVersion: v1", texts[0])
	assert.Equal(t, "kind: Namespace", texts[1])
	assert.Equal(t, "- apiVersion: v1", texts[2])
	assert.Equal(t, "-   apiVersion: v1", texts[3])
}

func TestLineIndexJSON(t *testing.T) {
	data := "\n  {\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"a\"}}\n" +
		"{\n \"kind\": \"List\",\n \"metadata\": {\"x\": [1, {\"items\": []}]},\n \"items\": [\n  {\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"b\"}},\n\n  {\"apiVersion\":\"v1\",\n   \"kind\":\"Namespace\",\"metadata\":{\"name\":\"c\"}}\n ]\n}\n"
	objs, lines, _ := objectLines(t, "f.json", []byte(data))
	require.Len(t, objs, 3)
	assert.Equal(t, []int{2, 7, 9}, lines)
}

func TestLineIndexUnknownFile(t *testing.T) {
	idx := newLineIndex(map[string][]byte{})
	assert.Equal(t, 0, idx.line(cluster.Source{File: "kustomization.yaml", Doc: 1}))
}

func TestLineIndexFlowStyleListHasNoItemLines(t *testing.T) {
	data := "apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Namespace, metadata: {name: a}}]\n"
	_, lines, _ := objectLines(t, "f.yaml", []byte(data))
	assert.Equal(t, []int{0}, lines)
}

// Every object of the shipped examples must point at a line that opens it.
func TestLineIndexExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examples, "manifests", "*.yaml"))
	require.NoError(t, err)
	files = append(files, filepath.Join(examples, "cluster-dump.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		objs, lines, texts := objectLines(t, f, data)
		for i, o := range objs {
			assert.Positive(t, lines[i], "%s %s", f, o.ID())
			assert.Regexp(t, `^(- )?(apiVersion|kind):`, texts[i], "%s %s", f, o.ID())
		}
	}
}

// Lines stay right with a byte-order mark and with "..." document ends, as the decoder reads them.
func TestLineIndexByteOrderMarkAndDocumentEnd(t *testing.T) {
	data := "\xef\xbb\xbf" + `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}` + "\n" + `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"b"}}` + "\n"
	objs, lines, _ := objectLines(t, "bom.json", []byte(data))
	require.Len(t, objs, 2)
	assert.Equal(t, []int{1, 2}, lines)

	data = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n...\n# next\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n...\n"
	objs, lines, _ = objectLines(t, "end.yaml", []byte(data))
	require.Len(t, objs, 2)
	assert.Equal(t, []int{1, 9}, lines)
}
