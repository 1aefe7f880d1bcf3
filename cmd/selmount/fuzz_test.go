package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
)

// FuzzScan runs `selmount scan -` end to end (decode, optional admission, audit, every renderer) on
// arbitrary input: the exit code is always 0, 1 or 2 and no panic is recovered into "internal error",
// and the scan with cluster.Decode prints the same bytes as with the fast decoder. Seeded from
// every scenario and example.
//
//	go test ./cmd/selmount -run '^$' -fuzz '^FuzzScan$' -fuzztime 20s
func FuzzScan(f *testing.F) {
	var files []string
	for _, pattern := range []string{"../../harness/scenarios/*/objects.yaml", examples + "/*.yaml", examples + "/*/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		f.Fatal("no seed files found")
	}
	for i, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, i%2 == 0, uint8(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, admit bool, format uint8) {
		args := []string{"scan", "--allow-empty", "--fail-on", "warning", "-o", formats[int(format)%len(formats)]}
		if admit {
			args = append(args, "--admit")
		}
		args = append(args, "-")
		var out, errOut bytes.Buffer
		code := run(args, bytes.NewReader(data), &out, &errOut)
		if strings.Contains(errOut.String(), "internal error") {
			t.Fatalf("panic:\n%s", errOut.String())
		}
		if code != exitOK && code != exitFindings && code != exitUsage {
			t.Fatalf("exit code %d", code)
		}
		if code == exitUsage && errOut.Len() == 0 {
			t.Fatal("bad input without a message")
		}
		if data := append([]byte(nil), data...); scanWithStdin(fullDecode, args, data) != scanWithStdin(cluster.DecodeScanReleasing, args, data) {
			t.Fatalf("the decoders disagree:\n%s\n%s", scanWithStdin(fullDecode, args, data), scanWithStdin(cluster.DecodeScanReleasing, args, data))
		}
	})
}
