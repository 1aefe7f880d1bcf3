package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
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

// The reproducers through `selmount scan repo`: a git reference whose ?ref= smuggles
// --upload-pack, and a URL on a loopback server. Both are bad input naming the file and the
// reference; no file is created and the server receives no request.
func TestScanRefusesRemoteKustomization(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(podAYAML))
	}))
	defer srv.Close()
	work := t.TempDir()
	pwned := filepath.Join(work, "PWNED")
	// git runs the command in a temporary clone, so the file is named absolutely to be seen.
	for _, ref := range []string{
		"file:///nonexistent?ref=--upload-pack=touch%20" + filepath.ToSlash(pwned) + "%20%23",
		srv.URL + "/x.yaml",
	} {
		dir := writeTree(t, map[string]string{
			"app/kustomization.yaml": "resources: [\"" + ref + "\"]\n",
			"plain/pod.yaml":         podAYAML,
		})
		code, _, errOut := runCmd(t, "", "scan", dir)
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, filepath.Join(dir, "app", "kustomization.yaml"))
		assert.Contains(t, errOut, ref)
		assert.NoFileExists(t, pwned)
	}
	assert.Zero(t, hits.Load(), "the scan contacted the server")
}
