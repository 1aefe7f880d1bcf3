package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkManifests(t *testing.T) {
	root := writeTree(t, map[string]string{
		"b.yaml":                   "",
		"a.yml":                    "",
		"c.json":                   "",
		"README.md":                "",
		"values.yaml.tmpl":         "",
		".hidden.yaml":             "",
		".git/config.yaml":         "",
		"sub/z.YAML":               "",
		"sub/deeper/y.yaml":        "",
		"app/kustomization.yaml":   "",
		"app/patch.yaml":           "",
		"app/base/deployment.yaml": "",
		"other/Kustomization":      "",
		"other/x.yaml":             "",
		"yml/kustomization.yml":    "",
	})
	units, err := walkManifests(root)
	require.NoError(t, err)
	var got []string
	for _, u := range units {
		rel, err := filepath.Rel(root, u.path)
		require.NoError(t, err)
		if u.kustomization {
			rel += " (kustomize)"
		}
		got = append(got, filepath.ToSlash(rel))
	}
	assert.Equal(t, []string{
		"a.yml", "app (kustomize)", "b.yaml", "c.json", "other (kustomize)",
		"sub/deeper/y.yaml", "sub/z.YAML", "yml (kustomize)",
	}, got)
}

func TestWalkRootKustomization(t *testing.T) {
	root := writeTree(t, map[string]string{"kustomization.yaml": "", "a.yaml": ""})
	units, err := walkManifests(root)
	require.NoError(t, err)
	assert.Equal(t, []manifestUnit{{path: root, kustomization: true}}, units)
}
