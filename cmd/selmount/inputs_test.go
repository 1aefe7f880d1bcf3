package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadPathsOrderAndRaw(t *testing.T) {
	dir := writeTree(t, map[string]string{"b.yaml": podBYAML, "a.yaml": podAYAML, "sub/ns.yaml": nsYAML})
	in, err := loadPaths([]string{dir, "-"}, strings.NewReader(claimYAML), nil)
	require.NoError(t, err)
	var ids []string
	for _, o := range in.objects {
		ids = append(ids, o.ID())
	}
	assert.Equal(t, []string{"Pod team/a", "Pod team/b", "Namespace team", "PersistentVolumeClaim team/data"}, ids)
	assert.Contains(t, in.raw, filepath.Join(dir, "a.yaml"))
	assert.Contains(t, in.raw, stdinName)
}

func TestLoadPathsErrorsNameThePath(t *testing.T) {
	_, err := loadPaths([]string{"no/such/dir"}, strings.NewReader(""), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no/such/dir")
}

func TestReadCappedFileAndStream(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.json")
	want := strings.Repeat("x", 70_000)
	if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readCapped(p, f)
	if err != nil || string(got) != want || cap(got) != len(want)+1 {
		t.Fatalf("file: %d bytes (cap %d), %v; want %d bytes in a buffer of its size", len(got), cap(got), err, len(want))
	}
	got, err = readCapped("-", strings.NewReader(want))
	if err != nil || string(got) != want {
		t.Fatalf("stream: %d bytes, %v", len(got), err)
	}
}
