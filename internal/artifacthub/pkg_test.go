package artifacthub

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

//go:generate go test -run TestMetadataIsCurrent -update .

var update = flag.Bool("update", false, "rewrite the artifacthub-pkg.yml files")

const root = "../.."

// The committed metadata carries the current version and the digest of the current bundle.
func TestMetadataIsCurrent(t *testing.T) {
	for _, p := range Packages() {
		want, err := Render(root, p)
		require.NoError(t, err)
		path := filepath.Join(root, p.Dir, FileName)
		if *update {
			require.NoError(t, os.WriteFile(path, want, 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "%s is missing: run go generate ./internal/artifacthub", path)
		require.True(t, bytes.Equal(got, want), "%s is stale (version or digest): run go generate ./internal/artifacthub", path)
	}
}

// The digest follows the bundle: one changed object gives another digest.
func TestDigestChangesWithTheBundle(t *testing.T) {
	dir := t.TempDir()
	write := func(value string) string {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources: [cm.yaml]\n"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "+value+"}\n"), 0o644))
		d, err := Digest(dir)
		require.NoError(t, err)
		return d
	}
	a, b := write("one"), write("two")
	require.NotEqual(t, a, b)
	require.Equal(t, a, write("one"))
}

func TestMetadataFields(t *testing.T) {
	for _, p := range Packages() {
		data, err := Render(root, p)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, yaml.Unmarshal(data, &doc))
		for _, k := range []string{"version", "name", "displayName", "createdAt", "description", "digest", "license", "install", "provider"} {
			require.NotEmpty(t, doc[k], "%s: %s", p.Name, k)
		}
	}
}
