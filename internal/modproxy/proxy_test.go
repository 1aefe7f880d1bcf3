package modproxy

import (
	"archive/zip"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestServedLeavesOutNestedModulesAndVendor(t *testing.T) {
	got := Served([]string{"go.mod", "a.go", "x/go.mod", "x/b.go", "x/y/c.go", "xy/d.go", "vendor/v.go", "p/vendor/w.go"})
	require.Equal(t, []string{"go.mod", "a.go", "xy/d.go"}, got)
}

func TestWriteLaysOutTheProxyProtocol(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "cmd"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "cmd", "main.go"), []byte("package main\n"), 0o644))
	dir := t.TempDir()
	require.NoError(t, Write(dir, root, "example.com/m", "v1.2.3", []string{"go.mod", "cmd/main.go"}))

	vdir := filepath.Join(dir, "example.com", "m", "@v")
	list, err := os.ReadFile(filepath.Join(vdir, "list"))
	require.NoError(t, err)
	require.Equal(t, "v1.2.3\n", string(list))
	info, err := os.ReadFile(filepath.Join(vdir, "v1.2.3.info"))
	require.NoError(t, err)
	require.JSONEq(t, `{"Version":"v1.2.3"}`, string(info))
	zr, err := zip.OpenReader(filepath.Join(vdir, "v1.2.3.zip"))
	require.NoError(t, err)
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	require.Equal(t, []string{"example.com/m@v1.2.3/cmd/main.go", "example.com/m@v1.2.3/go.mod"}, names)

	require.Error(t, Write(dir, root, "example.com/M", "v1.2.3", nil), "upper case needs escaping")
}
