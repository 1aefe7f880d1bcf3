package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

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

// A remote reference in a scanned folder is bad input naming the file and the reference, and the
// scan fetches nothing (internal/kustomize proves no git and no request in detail).
func TestScanRefusesRemoteKustomization(t *testing.T) {
	ref := "https://127.0.0.1:1/x.yaml"
	dir := writeTree(t, map[string]string{
		"app/kustomization.yaml": "resources: [\"" + ref + "\"]\n",
		"plain/pod.yaml":         podAYAML,
	})
	code, _, errOut := runCmd(t, "", "scan", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, filepath.Join(dir, "app", "kustomization.yaml"))
	assert.Contains(t, errOut, ref)
}
