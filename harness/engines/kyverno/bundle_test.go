package kyverno

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Every object of every kustomization carries the release version and the kyverno/policies
// annotations, names the rules it implements, and ships in the mode its overlay promises; together the
// policies cover the whole catalogue.
func TestBundleMetadata(t *testing.T) {
	data, err := os.ReadFile("../../../VERSION")
	require.NoError(t, err)
	version := strings.TrimSpace(string(data))
	for dir, action := range map[string]string{"": "Audit", "overlays/enforce": "Deny", "overlays/v1.36": "Audit"} {
		file, out, err := kustomize.Build(filepath.Join(kyvernoDir, dir))
		require.NoError(t, err)
		objs, err := cluster.Decode(file, out)
		require.NoError(t, err)
		require.Len(t, objs, 7, dir)
		covered := map[string]bool{}
		for _, o := range objs {
			var meta struct {
				Metadata struct {
					Labels      map[string]string `json:"labels"`
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
				Spec struct {
					ValidationActions []string `json:"validationActions"`
					Variables         []struct {
						Name       string `json:"name"`
						Expression string `json:"expression"`
					} `json:"variables"`
				} `json:"spec"`
			}
			require.NoError(t, json.Unmarshal(o.Raw, &meta))
			require.Equal(t, version, meta.Metadata.Labels["app.kubernetes.io/version"], "%s in %s", o.ID(), dir)
			if o.Kind == "ClusterRole" {
				continue
			}
			for _, k := range []string{"policies.kyverno.io/title", "policies.kyverno.io/category", "policies.kyverno.io/severity",
				"policies.kyverno.io/description", "kyverno.io/kyverno-version", "kyverno.io/kubernetes-version"} {
				require.NotEmpty(t, meta.Metadata.Annotations[k], "%s of %s in %s", k, o.ID(), dir)
			}
			rules := meta.Metadata.Annotations["selmount.io/rule"] + meta.Metadata.Annotations["selmount.io/rules"]
			require.NotEmpty(t, rules, "%s names no rule", o.ID())
			for _, r := range strings.Split(rules, ",") {
				_, ok := policies.RuleByID(r)
				require.True(t, ok, "%s names unknown rule %q", o.ID(), r)
				covered[r] = true
			}
			if o.Kind == "ValidatingPolicy" {
				require.Equal(t, []string{action}, meta.Spec.ValidationActions, "%s in %s", o.ID(), dir)
				require.Equal(t, "mountGate", meta.Spec.Variables[2].Name)
				require.Equal(t, map[bool]string{true: "false", false: "true"}[dir == "overlays/v1.36"], meta.Spec.Variables[2].Expression, "%s in %s", o.ID(), dir)
			}
		}
		for _, r := range policies.Catalogue() {
			require.True(t, covered[r.ID], "%s: no policy implements %s", dir, r.ID)
		}
	}
}

// Every kustomization loads and compiles in Kyverno.
func TestOverlaysCompile(t *testing.T) {
	for _, dir := range []string{"", "overlays/enforce", "overlays/v1.36"} {
		b, err := loadBundle(filepath.Join(kyvernoDir, dir))
		require.NoError(t, err, dir)
		require.Len(t, b.validating, 5, dir)
		require.Len(t, b.mutating, 1, dir)
	}
}
