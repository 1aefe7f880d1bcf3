package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The alias bomb: one ~100 KB anchored string repeated by aliases, 1 MB of YAML that
// expanded to gigabytes and 15 s. It must be refused quickly, naming file and document.
func TestDecodeRefusesAliasBombOfOneLargeString(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  big: &s \"")
	b.WriteString(strings.Repeat("x", 100_000))
	b.WriteString("\"\nitems:\n")
	for b.Len() < 1_000_000 {
		b.WriteString("- [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n")
	}
	start := time.Now()
	_, err := Decode("bomb.yaml", []byte(b.String()))
	var limit *LimitError
	require.True(t, errors.As(err, &limit), "%v", err)
	assert.Contains(t, err.Error(), "bomb.yaml: document 2: YAML aliases expand")
	assert.Less(t, time.Since(start), 5*time.Second)
}

// Nested aliases (the classic "billion laughs") are refused by the same count.
func TestDecodeRefusesNestedAliases(t *testing.T) {
	doc := "kind: ConfigMap\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		doc += name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = name
	}
	_, err := Decode("laughs.yaml", []byte(doc))
	require.ErrorContains(t, err, "laughs.yaml: document 1: YAML aliases expand")
}

// A few aliases, as hand-written manifests use them, still decode.
func TestDecodeKeepsModestAliases(t *testing.T) {
	doc := "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: &l {app: web}, annotations: *l}\n"
	objs, err := Decode("ok.yaml", []byte(doc))
	require.NoError(t, err)
	require.Len(t, objs, 1)
}

func TestDecodeRefusesHugeObject(t *testing.T) {
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {x: \"" + strings.Repeat("y", MaxObjectBytes) + "\"}\n"
	_, err := Decode("big.yaml", []byte(doc))
	require.ErrorContains(t, err, "big.yaml: document 1: object is 8.0 MiB as JSON")
	list := `{"kind":"List","items":[{"kind":"ConfigMap","metadata":{"name":"a"}},{"kind":"ConfigMap","data":{"x":"` + strings.Repeat("y", MaxObjectBytes) + `"}}]}`
	_, err = Decode("big.json", []byte(list))
	require.ErrorContains(t, err, "big.json: document 1, item 2: object is 8.0 MiB as JSON")
}

func TestDecodeRefusesHugeYAMLDocument(t *testing.T) {
	doc := "kind: List\nitems:\n" + strings.Repeat("- {kind: ConfigMap, metadata: {name: a}}\n", MaxYAMLDocumentBytes/40+1)
	_, err := Decode("dump.yaml", []byte(doc))
	require.ErrorContains(t, err, "dump.yaml: document 1: YAML document is 65.6 MiB, more than the 64.0 MiB")
	require.ErrorContains(t, err, "-o json")
}

// kubectl drops a leading byte-order mark; before, a JSON stream with one kept only its first object.
func TestDecodeJSONStreamWithByteOrderMark(t *testing.T) {
	stream := "\xef\xbb\xbf" + `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}` + "\n" + `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}`
	objs, err := Decode("s.json", []byte(stream))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	objs, err = Decode("s.yaml", []byte("\xef\xbb\xbfapiVersion: v1\nkind: Pod\nmetadata: {name: a}\n"))
	require.NoError(t, err)
	require.Len(t, objs, 1)
}

// "..." ends a document; the next may start without "---". Before, only the first object was kept.
func TestDecodeDocumentEndMarker(t *testing.T) {
	doc := "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n...\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n... # end\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\n"
	objs, err := Decode("e.yaml", []byte(doc))
	require.NoError(t, err)
	require.Len(t, objs, 3)
	assert.Equal(t, Source{File: "e.yaml", Doc: 2, Line: 5}, objs[1].Source)
	assert.Equal(t, Source{File: "e.yaml", Doc: 3, Line: 10}, objs[2].Source)
}

// A file that is no manifest is told apart from a broken manifest, so that a folder scan can skip it.
func TestDecodeNotManifest(t *testing.T) {
	for name, doc := range map[string]string{
		"package.json": `{"name": "app", "version": "1.0.0", "scripts": {"test": "jest"}}`,
		"values.yaml":  "replicaCount: 2\nimage: {repository: nginx}\n",
		"list.json":    `["a", "b"]`,
		"odd.yaml":     "metadata: 5\n",
	} {
		_, err := Decode(name, []byte(doc))
		var nm *NotManifestError
		require.True(t, errors.As(err, &nm), "%s: %v", name, err)
		assert.Equal(t, name, nm.File)
	}
	// A kindless document after a real object is a broken manifest, not a stray file.
	_, err := Decode("mixed.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nfoo: bar\n"))
	var nm *NotManifestError
	require.False(t, errors.As(err, &nm))
	require.ErrorContains(t, err, "mixed.yaml: document 2: object has no kind")
}
