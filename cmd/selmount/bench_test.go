package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/selmount/selmount/bench/dumpgen"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// benchSizes are the pod counts bench/run.sh compares: scan against decode at each, and 100k
// against 10k for linear growth.
var benchSizes = []int{10_000, 100_000}

const benchSeed = 1

var (
	benchDirOnce sync.Once
	benchDir     string
	benchDirErr  error
	benchFiles   sync.Map // pods → path
)

// TestMain removes the generated dumps, which are shared by every benchmark of a run.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchDump writes the dump for a size once per test binary run and returns its path and bytes.
func benchDump(b *testing.B, pods int) (string, []byte) {
	b.Helper()
	benchDirOnce.Do(func() { benchDir, benchDirErr = os.MkdirTemp("", "selmount-bench-") })
	if benchDirErr != nil {
		b.Fatal(benchDirErr)
	}
	path := filepath.Join(benchDir, fmt.Sprintf("dump-%d-seed%d.json", pods, benchSeed))
	if _, done := benchFiles.Load(pods); !done {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		err = dumpgen.Write(f, dumpgen.Config{Pods: pods, Seed: benchSeed})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			b.Fatal(err)
		}
		benchFiles.Store(pods, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, data
}

// BenchmarkDecode is the floor: reading the objects of the dump, which any scanner must do.
func BenchmarkDecode(b *testing.B) {
	for _, pods := range benchSizes {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			path, data := benchDump(b, pods)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := cluster.Decode(path, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScan is what `selmount scan -o json` does with the dump once it is read.
func BenchmarkScan(b *testing.B) {
	profile, err := gates.Parse("")
	if err != nil {
		b.Fatal(err)
	}
	for _, pods := range benchSizes {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			path, data := benchDump(b, pods)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				objs, err := cluster.Decode(path, data)
				if err != nil {
					b.Fatal(err)
				}
				res, err := audit(profile, objs)
				if err != nil {
					b.Fatal(err)
				}
				if err := renderGroupedJSON(io.Discard, res.grouped); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAudit is the part selmount adds to decoding (build the state, run the model, render
// JSON), measured alone so that its growth is not hidden in decode's.
func BenchmarkAudit(b *testing.B) {
	profile, err := gates.Parse("")
	if err != nil {
		b.Fatal(err)
	}
	for _, pods := range benchSizes {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			path, data := benchDump(b, pods)
			objs, err := cluster.Decode(path, data)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				res, err := audit(profile, objs)
				if err != nil {
					b.Fatal(err)
				}
				if err := renderGroupedJSON(io.Discard, res.grouped); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSharedVolume is issue 12's layout: every Pod on one volume, 20 namespaces each with its
// own level. The grouped report must grow linearly with Pods although the pairs grow with Pods².
func BenchmarkSharedVolume(b *testing.B) {
	profile, err := gates.Parse("")
	if err != nil {
		b.Fatal(err)
	}
	for _, pods := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			var buf bytes.Buffer
			if err := dumpgen.WriteShared(&buf, pods, 20); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				objs, err := cluster.DecodeScan("shared.json", buf.Bytes())
				if err != nil {
					b.Fatal(err)
				}
				res, err := audit(profile, objs)
				if err != nil {
					b.Fatal(err)
				}
				if err := renderGroupedJSON(io.Discard, res.grouped); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
