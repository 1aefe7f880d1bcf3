package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadPathsOrderAndRaw(t *testing.T) {
	dir := writeTree(t, map[string]string{"b.yaml": podBYAML, "a.yaml": podAYAML, "sub/ns.yaml": nsYAML})
	in, err := loadPaths([]string{dir, "-"}, strings.NewReader(claimYAML))
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
	_, err := loadPaths([]string{"no/such/dir"}, strings.NewReader(""))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no/such/dir")
}
