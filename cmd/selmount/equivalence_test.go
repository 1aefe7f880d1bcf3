package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
)

// TestScanDecoderEquivalence runs the scan with the fast decoder and with cluster.Decode on every
// input of the corpus (scenarios and examples as written, as JSON streams and as JSON Lists, and
// generated clusters dumped as JSON Lists) and requires the same exit code and the same bytes on
// stdout and stderr, in every output format and with --admit.
func TestScanDecoderEquivalence(t *testing.T) {
	dir := t.TempDir()
	files := equivalenceCorpus(t, dir)
	if len(files) < 350 {
		t.Fatalf("corpus has %d files; the globs no longer find the scenarios", len(files))
	}
	for _, file := range files {
		for _, format := range formats {
			for _, admit := range []bool{false, true} {
				args := []string{"scan", "--allow-empty", "-o", format}
				if admit {
					args = append(args, "--admit")
				}
				args = append(args, file)
				want := scanWith(fullDecode, args)
				got := scanWith(cluster.DecodeScanReleasing, args)
				if want != got {
					t.Fatalf("%v: the decoders disagree\ncluster.Decode:\n%s\ncluster.DecodeScan:\n%s", args, want, got)
				}
			}
		}
	}
}

// fullDecode is cluster.Decode as the scan calls its decoder: it reads the whole file, and has
// nothing to release.
func fullDecode(name string, data []byte, _ func(from, to int)) ([]cluster.Object, error) {
	return cluster.Decode(name, data)
}

func scanWith(decode func(string, []byte, func(int, int)) ([]cluster.Object, error), args []string) string {
	return scanWithStdin(decode, args, nil)
}

// scanWithStdin runs the scan with decode as the decoder and returns its exit code and output.
func scanWithStdin(decode func(string, []byte, func(int, int)) ([]cluster.Object, error), args []string, stdin []byte) string {
	saved := decodeObjects
	defer func() { decodeObjects = saved }()
	decodeObjects = decode
	var out, errOut bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errOut)
	return fmt.Sprintf("exit %d\n%s\nstderr:\n%s", code, out.String(), errOut.String())
}

// equivalenceCorpus writes the corpus into dir and returns the file paths.
func equivalenceCorpus(t *testing.T, dir string) []string {
	t.Helper()
	var sources []string
	for _, pattern := range []string{"../../harness/scenarios/*/objects.yaml", examples + "/*.yaml", examples + "/*/*.yaml", examples + "/*/*/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, m...)
	}
	var files []string
	write := func(name string, data []byte) {
		p := filepath.Join(dir, fmt.Sprintf("%03d-%s", len(files), name))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	for _, src := range sources {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(filepath.Dir(src)) + "-" + filepath.Base(src)
		write(base, data)
		objs, err := cluster.Decode(src, data)
		if err != nil || len(objs) == 0 {
			continue
		}
		var stream bytes.Buffer
		for _, o := range objs {
			stream.Write(o.Raw)
			stream.WriteByte('\n')
		}
		write(base+".stream.json", stream.Bytes())
		write(base+".list.json", jsonList(objs))
	}
	for seed := uint64(0); seed < 100; seed++ {
		write(fmt.Sprintf("generated-%d.json", seed), jsonList(harness.Generate(seed, harness.GenOptions{MaxPods: 40}).Objects))
	}
	return files
}

// jsonList writes objects as `kubectl get -o json` does: apiVersion, items, kind, indented.
func jsonList(objs []cluster.Object) []byte {
	var b bytes.Buffer
	b.WriteString("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n")
	for i, o := range objs {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(o.Raw)
	}
	b.WriteString("\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n")
	return b.Bytes()
}
