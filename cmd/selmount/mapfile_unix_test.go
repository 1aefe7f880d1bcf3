//go:build linux || darwin

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// Released pages are read from the file again: the decode may fall back to cluster.Decode, which
// reads the whole file after the fast path released it.
func TestMappedFileStaysReadableAfterRelease(t *testing.T) {
	want := bytes.Repeat([]byte("0123456789abcdef"), 3*os.Getpagesize()/16+5)
	path := filepath.Join(t.TempDir(), "dump.json")
	require.NoError(t, os.WriteFile(path, want, 0o600))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()

	data, unmap, release, ok := mapFile(f, len(want))
	require.True(t, ok)
	defer unmap()
	require.Equal(t, want, data)
	release(0, len(data))
	release(1, 2) // no whole page: nothing to drop
	require.Equal(t, want, data)

	_, _, _, ok = mapFile(f, 0)
	require.False(t, ok, "an empty file is read, not mapped")
}
