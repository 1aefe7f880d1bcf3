package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"text/template"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/internal/live"
)

const pluginDir = "../../kubectl-plugin"

// The ClusterRole grants list on exactly the collections the cluster reader lists: a kind added to
// live.Kinds without RBAC would fail in every cluster, and RBAC without a reader is more than needed.
func TestScanClusterRoleMatchesWhatIsListed(t *testing.T) {
	data, err := os.ReadFile(pluginDir + "/rbac.yaml")
	require.NoError(t, err)
	var role rbacv1.ClusterRole
	require.NoError(t, yaml.UnmarshalStrict(data, &role))
	for _, r := range role.Rules {
		assert.Equal(t, []string{"list"}, r.Verbs)
	}
	assert.Equal(t, live.Resources(), live.Granted(role.Rules))
}

// The krew template renders, as krew-release-bot would, to a Plugin whose every platform runs
// kubectl-selmount from an archive of the tag.
func TestKrewTemplateRenders(t *testing.T) {
	data, err := os.ReadFile(pluginDir + "/krew.yaml")
	require.NoError(t, err)
	var uris []string
	tmpl, err := template.New("krew").Funcs(template.FuncMap{
		"addURIAndSha": func(uri, tag string) string {
			uri = strings.ReplaceAll(uri, "{{ .TagName }}", tag)
			uris = append(uris, uri)
			return "uri: " + uri + "\n    sha256: " + strings.Repeat("ab", 32)
		},
	}).Parse(string(data))
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, tmpl.Execute(&out, map[string]string{"TagName": "v0.9.0"}))
	var plugin struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct{ Name string }
		Spec       struct {
			Version   string
			Platforms []struct {
				URI    string `json:"uri"`
				Sha256 string `json:"sha256"`
				Bin    string `json:"bin"`
			}
		}
	}
	require.NoError(t, yaml.Unmarshal(out.Bytes(), &plugin), out.String())
	assert.Equal(t, "krew.googlecontainertools.github.com/v1alpha2", plugin.APIVersion)
	assert.Equal(t, "Plugin", plugin.Kind)
	assert.Equal(t, "selmount", plugin.Metadata.Name)
	assert.Equal(t, "v0.9.0", plugin.Spec.Version)
	require.Len(t, plugin.Spec.Platforms, 3)
	for _, p := range plugin.Spec.Platforms {
		assert.Equal(t, "kubectl-selmount", p.Bin)
		assert.Contains(t, p.URI, "/releases/download/v0.9.0/kubectl-selmount_v0.9.0_")
		assert.Len(t, p.Sha256, 64)
	}
}
