package cluster

import (
	"os"
	"path/filepath"
	"testing"
)

// seedCorpus adds every scenario and example manifest as a seed, so that fuzzing starts from the
// shapes real input has (Lists, multi-document YAML, workloads) rather than from nothing.
func seedCorpus(f *testing.F, root string) {
	f.Helper()
	var files []string
	for _, pattern := range []string{"harness/scenarios/*/objects.yaml", "examples/*.yaml", "examples/*/*.yaml", "examples/*/*/*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		f.Fatal("no seed files found")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// Shapes the corpus lacks: JSON streams, a byte-order mark, document ends, aliases.
	f.Add([]byte("\xef\xbb\xbf{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n{\"kind\":\"List\",\"items\":[]}"))
	f.Add([]byte("kind: Pod\napiVersion: v1\nmetadata: {name: a}\n...\nkind: Pod\napiVersion: v1\nmetadata: {name: &n b, labels: {x: *n}}\n"))
}

// FuzzDecode: the decoder returns objects or an error for any input, never panics, and every object
// it returns carries a kind and a place; DecodeScan, the scan's fast path, returns the same.
//
//	go test ./policies/cluster -run '^$' -fuzz '^FuzzDecode$' -fuzztime 20s
func FuzzDecode(f *testing.F) {
	seedCorpus(f, "../..")
	f.Fuzz(func(t *testing.T, data []byte) {
		requireSameDecode(t, "in.yaml", data)
		objs, err := Decode("in.yaml", data)
		if err != nil {
			return
		}
		for _, o := range objs {
			if o.Kind == "" || o.Source.File != "in.yaml" || o.Source.Doc < 1 {
				t.Fatalf("object without kind or place: %+v", o)
			}
			if len(o.Raw) > MaxObjectBytes {
				t.Fatalf("object of %d bytes passed the cap", len(o.Raw))
			}
		}
		// Whatever decodes must also build or fail cleanly.
		_, _ = Build(objs)
	})
}
