package gatekeepergen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

//go:generate go test -run TestGeneratedFilesAreCurrent -update .

var update = flag.Bool("update", false, "rewrite the generated files of gatekeeper/")

const root = "../.."

func TestGeneratedFilesAreCurrent(t *testing.T) {
	files, err := Files(root)
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.RemoveAll(filepath.Join(root, "gatekeeper", "base")))
		require.NoError(t, os.RemoveAll(filepath.Join(root, "gatekeeper", "tests")))
	}
	for path, want := range files {
		full := filepath.Join(root, path)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
			require.NoError(t, os.WriteFile(full, want, 0o644))
			continue
		}
		got, err := os.ReadFile(full)
		require.NoError(t, err, "%s is missing: run go generate ./internal/gatekeepergen", path)
		require.True(t, bytes.Equal(got, want), "%s is stale: run go generate ./internal/gatekeepergen", path)
	}
	// Nothing generated is left behind in the generated directories.
	for _, dir := range []string{"base", "tests", "overlays"} {
		err := filepath.WalkDir(filepath.Join(root, "gatekeeper", dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			_, ok := files[filepath.ToSlash(rel)]
			require.True(t, ok, "%s is not generated any more: delete it", rel)
			return nil
		})
		require.NoError(t, err)
	}
}

// Every template embeds the whole library except the conftest profile source, which no template
// may read (Gatekeeper allows data.inventory and data.lib only).
func TestTemplatesEmbedTheLibraryWithoutConftestData(t *testing.T) {
	libs, err := Libs(root)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(libs), 10)
	for _, l := range libs {
		require.NotContains(t, l, "data.selmount.", "a template library reads conftest data")
		require.True(t, strings.Contains(l, "package lib.selmount."), "a library module outside data.lib: %.80s", l)
	}
}

// Gatekeeper 3.23 turns CEL templates into ValidatingAdmissionPolicies unless told not to: every CEL
// source says generateVAP: false, so findings come from Gatekeeper's webhook only.
func TestCELTemplatesGenerateNoVAP(t *testing.T) {
	files, err := Files(root)
	require.NoError(t, err)
	cel := 0
	for path, data := range files {
		if !strings.HasPrefix(path, "gatekeeper/base/templates/") {
			continue
		}
		var tmpl struct {
			Spec struct {
				Targets []struct {
					Code []struct {
						Engine string         `json:"engine"`
						Source map[string]any `json:"source"`
					} `json:"code"`
				} `json:"targets"`
			} `json:"spec"`
		}
		require.NoError(t, yaml.Unmarshal(data, &tmpl), path)
		for _, target := range tmpl.Spec.Targets {
			for _, c := range target.Code {
				if c.Engine == "K8sNativeValidation" {
					cel++
					require.Equal(t, false, c.Source["generateVAP"], "%s: generateVAP", path)
				}
			}
		}
	}
	require.Equal(t, 2, cel, "the CEL templates (SELINUX-003, SELINUX-005)")
}
