package kustomize

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reproducer: kustomize hands "?ref=" to `git fetch`, whose --upload-pack runs a command.
// The build must fail naming the file and the reference, and run nothing.
func TestBuildRefusesGitReferenceAndRunsNothing(t *testing.T) {
	dir := t.TempDir()
	pwned := filepath.Join(dir, "PWNED")
	ref := "file:///nonexistent?ref=--upload-pack=touch%20" + filepath.ToSlash(pwned) + "%20%23"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources: [\""+ref+"\"]\n"), 0o644))
	t.Chdir(dir) // the reproducer's relative "touch PWNED" lands here too
	_, _, err := Build(dir)
	assert.NoFileExists(t, pwned)
	assert.NoFileExists(t, filepath.Join(dir, "PWNED"))
	require.Error(t, err)
	var remote *RemoteError
	require.True(t, errors.As(err, &remote), "%v", err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "kustomization.yaml"))
	assert.Contains(t, err.Error(), ref)
}

// A loopback server stands for any URL: it must receive no request at all.
func TestBuildRefusesHTTPWithoutARequest(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(podAYAML))
	}))
	defer srv.Close()
	url := srv.URL + "/x.yaml"
	for _, kust := range []string{
		"resources: [" + url + "]\n",
		"resources: [pod.yaml]\npatches: [{path: " + url + "}]\n",
		"resources: [pod.yaml]\nconfigMapGenerator: [{name: x, files: [k=" + url + "]}]\n",
		"resources: [base]\n", // the remote reference is one level down
	} {
		dir := writeTree(t, map[string]string{
			"kustomization.yaml":      kust,
			"pod.yaml":                podAYAML,
			"base/kustomization.yaml": "resources: [" + url + "]\n",
		})
		_, _, err := Build(dir)
		require.Error(t, err, kust)
		assert.Contains(t, err.Error(), url, kust)
		assert.Contains(t, err.Error(), "kustomization.yaml", kust)
	}
	assert.Zero(t, hits.Load(), "the scanner contacted the server")
}

func TestIsRemote(t *testing.T) {
	for _, ref := range []string{
		"https://example.com/x.yaml", "http://127.0.0.1/x", "github.com/org/repo//path?ref=v1",
		"git@github.com:org/repo.git", "git::https://host/repo", "ssh://host/repo", "file:///repo",
		"gitlab.com/org/repo?ref=main", "user@host:repo", "GitHub.com/org/repo",
	} {
		assert.True(t, isRemote(ref), ref)
	}
	for _, ref := range []string{"pods.yaml", "../base", "./overlays/prod", "dir/with@sign", "a:b.yaml"} {
		assert.False(t, isRemote(ref), ref)
	}
}

// Exec and container KRM functions, and Helm, run programs: the build must refuse them.
func TestBuildRunsNoFunctionOrHelm(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "RAN")
	script := "#!/bin/sh\ntouch " + marker + "\n"
	fn := func(annotation string) string {
		return "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n" + annotation
	}
	for name, files := range map[string]map[string]string{
		"exec": {
			"kustomization.yaml": "generators: [fn.yaml]\n",
			"fn.yaml":            fn("      exec:\n        path: ./run.sh\n"),
			"run.sh":             script,
		},
		"container": {
			"kustomization.yaml": "transformers: [fn.yaml]\nresources: [pod.yaml]\n",
			"fn.yaml":            fn("      container:\n        image: example.com/fn:1\n"),
			"pod.yaml":           podAYAML,
		},
		"helm": {
			"kustomization.yaml": "helmCharts: [{name: x, repo: https://example.com/charts}]\n",
		},
	} {
		sub := filepath.Join(dir, name)
		for f, content := range files {
			require.NoError(t, os.MkdirAll(sub, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(sub, f), []byte(content), 0o755))
		}
		_, _, err := Build(sub)
		assert.Error(t, err, name)
		assert.NoFileExists(t, marker, name)
	}
}
