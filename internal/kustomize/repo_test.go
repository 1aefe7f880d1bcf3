package kustomize

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The engines and the docs build selmount's own bundles through Build: the local-only check must
// accept every kustomization the repository ships.
func TestRepositoryKustomizationsAreLocal(t *testing.T) {
	root := "../.."
	var dirs []string
	require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if !d.IsDir() && IsKustomizationFile(d.Name()) {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	}))
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		assert.NoError(t, checkLocal(dir), dir)
	}
}
