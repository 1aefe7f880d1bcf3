package cluster_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
)

// corpus is every input of the equivalence test, by name: the scenarios and examples as written,
// as JSON streams and as JSON Lists, and generated clusters as JSON Lists (the shape of a dump).
func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var files []string
	for _, pattern := range []string{"harness/scenarios/*/objects.yaml", "examples/*.yaml", "examples/*/*.yaml", "examples/*/*/*.yaml"} {
		m, err := filepath.Glob(filepath.Join("../..", pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
		objs, err := cluster.Decode(name, data)
		if err != nil || len(objs) == 0 {
			continue // not an object file (a kustomization): Decode's error is compared as is
		}
		out[name+".stream.json"] = jsonStream(objs)
		out[name+".list.json"] = jsonList(objs)
	}
	for seed := uint64(0); seed < 200; seed++ {
		sc := harness.Generate(seed, harness.GenOptions{MaxPods: 40})
		out[fmt.Sprintf("generated-%d.json", seed)] = jsonList(sc.Objects)
		// Dumps of a real cluster carry creationTimestamps, which the scenarios never write.
		if seed < 40 {
			out[fmt.Sprintf("generated-%d-created.json", seed)] = jsonList(withCreated(t, seed, sc.Objects))
		}
	}
	return out
}

// withCreated gives every object a creationTimestamp, a few seconds apart and often equal (the API
// server writes whole seconds), as a dump of a live cluster has them.
func withCreated(t testing.TB, seed uint64, objs []cluster.Object) []cluster.Object {
	t.Helper()
	out := make([]cluster.Object, len(objs))
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, o := range objs {
		var m map[string]any
		if err := json.Unmarshal(o.Raw, &m); err != nil {
			t.Fatal(err)
		}
		meta, _ := m["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			m["metadata"] = meta
		}
		at := base.Add(time.Duration((uint64(i)*7+seed)%5) * time.Second)
		meta["creationTimestamp"] = at.Format(time.RFC3339)
		raw, err := json.Marshal(m) // keys sorted: apiVersion and kind still come first
		if err != nil {
			t.Fatal(err)
		}
		o.Raw = raw
		out[i] = o
	}
	return out
}

func jsonStream(objs []cluster.Object) []byte {
	var b bytes.Buffer
	for _, o := range objs {
		b.Write(o.Raw)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// jsonList writes objects as kubectl get -o json does: apiVersion, then items, then kind.
func jsonList(objs []cluster.Object) []byte {
	var b bytes.Buffer
	b.WriteString("{\"apiVersion\": \"v1\", \"items\": [\n")
	for i, o := range objs {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(o.Raw)
	}
	b.WriteString("\n], \"kind\": \"List\", \"metadata\": {\"resourceVersion\": \"\"}}\n")
	return b.Bytes()
}

// TestDecodeScanTruncated: input cut anywhere is an error, the same as Decode's, never a panic.
func TestDecodeScanTruncated(t *testing.T) {
	doc := []byte(`{"apiVersion": "v1", "items": [{"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "a", "labels": {"x": "y"}}, "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}], "volumes": [{"name": "v", "csi": {"driver": "d"}}]}, "status": {"phase": "Running"}}], "kind": "List", "metadata": {}}`)
	for n := range len(doc) + 1 {
		cluster.RequireSameDecode(t, "in.json", doc[:n])
	}
}

func TestDecodeScanEqualsDecodeOnCorpus(t *testing.T) {
	inputs := corpus(t)
	if len(inputs) < 400 {
		t.Fatalf("corpus has %d inputs; the globs no longer find the scenarios", len(inputs))
	}
	for name, data := range inputs {
		cluster.RequireSameDecode(t, name, data)
		// The corpus is plain kubectl-shaped JSON and YAML: the fast path must take every input,
		// or this test would only compare Decode with itself.
		if _, fast := cluster.DecodeFast(name, data); !fast {
			t.Errorf("%s: the fast path gave up", name)
		}
	}
}

// FuzzDecodeScan: on any input, DecodeScan returns what Decode returns (the same error text, or the
// same objects on the fields it decodes). Seeded like FuzzDecode, plus the JSON stream and List
// forms of every seed and hand-picked shapes the fast path must refuse or get right.
//
//	go test ./policies/cluster -run '^$' -fuzz '^FuzzDecodeScan$' -fuzztime 60s
func FuzzDecodeScan(f *testing.F) {
	cluster.SeedCorpus(f, "../..")
	for name, data := range corpus(f) {
		if strings.HasSuffix(name, ".json") && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	for _, s := range []string{
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}]}]}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":"yesterday"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":"2025-03-01T12:00:00Z"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":null}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":"2025-03-01T13:00:00+01:00","creationTimestamp":""}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":""}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","CreationTimestamp":"2025-03-01T12:00:00Z"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":"2025-03-01T12:00:00.123456789-07:30"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":"\u0032025-03-01T12:00:00Z"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":"2025-03-01t12:00:00z"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","creationTimestamp":1740830400}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"nodeName":"n"},"spec":{"os":{"name":"windows"}}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"Spec":{"nodeName":"n"}}`,
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a\u0062","labels":{"k\u00e9":"v"}},"items":5}`,
		`{"apiVersion":"v1","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}},7],"kind":"PodList"}`,
		`{"apiVersion":"v1","items":null,"kind":"List"} {"kind":"Pod","apiVersion":"v1","metadata":{"name":"b"},"status":{"phase":"Failed"}}`,
		`{"items":`, `{"kind":`, `{"kind":"Pod","apiVersion":"v1","metadata":`, `[`, `{"apiVersion":"v1","items":[{"kind":"Pod","apiVersion":"v1"`,
		`{"kind":"PersistentVolume","apiVersion":"v1","metadata":{"name":"pv","namespace":"x"},"spec":{"csi":{"driver":"d","volumeHandle":"h"},"capacity":{"storage":"1Gx"}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cluster.RequireSameDecode(t, "in.json", data)
	})
}
