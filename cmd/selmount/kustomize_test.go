package main

import (
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
	name, out, err := buildKustomization(dir)
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
	_, _, err := buildKustomization(filepath.Join(dir, "k"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "k", "kustomization.yml")+": kustomize build:")

	_, _, err = buildKustomization(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no kustomization.yaml")
}

func TestScanKustomization(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"kustomization.yaml": "namespace: prod\nnamePrefix: p-\nresources:\n- pods.yaml\n- claim.yaml\n",
		"pods.yaml":          podAYAML + "---\n" + podBYAML,
		"claim.yaml":         claimYAML,
	})
	for _, path := range []string{dir, filepath.Join(dir, "kustomization.yaml")} {
		code, out, errOut := runCmd(t, "", "scan", path)
		assert.Equal(t, exitFindings, code, errOut)
		assert.Contains(t, out, "Volume pvc/prod/p-data")
		assert.Contains(t, out, "prod/p-b")
	}
}

// Kustomize's objects and the same objects as plain files are one cluster: duplicates are errors.
func TestScanKustomizationAndFilesShareOneState(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"k/kustomization.yaml": "resources:\n- pod.yaml\n",
		"k/pod.yaml":           podAYAML,
		"plain/pod.yaml":       podAYAML,
	})
	code, _, errOut := runCmd(t, "", "scan", filepath.Join(dir, "k"), filepath.Join(dir, "plain"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "duplicate object Pod team/a")
}
