package celsrc

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

//go:generate go test -run TestGeneratedFilesAreCurrent -update .

var update = flag.Bool("update", false, "rewrite the files this package generates")

const root = "../.."

func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range files {
		full := filepath.Join(root, path)
		if *update {
			if err := os.WriteFile(full, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(full)
		if err != nil {
			t.Fatalf("%s is missing: run go generate ./internal/celsrc", path)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/celsrc", path)
		}
	}
}
