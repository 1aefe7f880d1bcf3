package kustomize

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

func TestBuildKustomization(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"kustomization.yaml": "namespace: prod\nnamePrefix: p-\nresources:\n- pods.yaml\n",
		"pods.yaml":          podAYAML + "---\n" + podBYAML,
	})
	name, out, err := Build(dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "kustomization.yaml"), name)
	objs, err := cluster.Decode(name, out)
	require.NoError(t, err)
	require.Len(t, objs, 2)
	assert.Equal(t, "Pod prod/p-a", objs[0].ID())
	assert.Equal(t, name, objs[0].Source.File)
}

func TestBuildKustomizationErrorsNameTheFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"k/kustomization.yml": "resources:\n- ../outside.yaml\n",
		"outside.yaml":        podAYAML,
	})
	_, _, err := Build(filepath.Join(dir, "k"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "k", "kustomization.yml")+": kustomize build:")

	_, _, err = Build(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no kustomization.yaml")
}

const (
	podAYAML = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c}]}\n"
	podBYAML = "apiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c}]}\n"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return root
}
