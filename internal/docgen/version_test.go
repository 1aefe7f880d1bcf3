package docgen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies/cluster"
)

// VERSION, the CHANGELOG's newest entry and every bundle object's version label agree.
func TestVersionIsConsistent(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "VERSION"))
	require.NoError(t, err)
	version := strings.TrimSpace(string(data))
	require.Regexp(t, `^[0-9]+\.[0-9]+\.[0-9]+$`, version)
	changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	require.NoError(t, err)
	// Changes land under "## Unreleased" until a release moves them under the new VERSION.
	text := strings.Replace(string(changelog), "\n## Unreleased\n", "\n### Unreleased\n", 1)
	first := strings.Index(text, "\n## ")
	require.Positive(t, first)
	require.True(t, strings.HasPrefix(text[first:], "\n## "+version+" ("), "the newest released CHANGELOG entry is not %s (date)", version)

	for _, dir := range []string{"map", "map/overlays/v1.36", "map/overlays/deny", "map/overlays/cluster-wide", "map/overlays/v1beta1",
		"gatekeeper", "gatekeeper/overlays/deny", "gatekeeper/overlays/v1.36", "kyverno", "kyverno/overlays/enforce", "kyverno/overlays/v1.36"} {
		file, out, err := kustomize.Build(filepath.Join(root, dir))
		require.NoError(t, err)
		objs, err := cluster.Decode(file, out)
		require.NoError(t, err)
		require.NotEmpty(t, objs)
		for _, o := range objs {
			var meta struct {
				Metadata struct {
					Labels map[string]string `json:"labels"`
				} `json:"metadata"`
			}
			require.NoError(t, json.Unmarshal(o.Raw, &meta))
			require.Equal(t, version, meta.Metadata.Labels["app.kubernetes.io/version"], "%s in %s", o.ID(), dir)
		}
	}
}
