package kustomize

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Kustomize's loader has no switch for remote content: a reference its git parser accepts is cloned
// with the git binary (a "?ref=" value reaches `git fetch` as an argument, so a kustomization in a
// pull request could run commands on the CI machine), and an http(s) file is fetched. Its loader is
// internal, so it cannot be replaced; instead every kustomization Build would read is checked before
// kustomize runs, and any reference that is not a plain local path refuses the whole build.

// pathFields hold one path or a list of paths that kustomize loads (directories or files).
var pathFields = []string{
	"resources", "bases", "components", "crds", "configurations",
	"generators", "transformers", "validators", "patchesStrategicMerge",
}

// dirFields are the fields whose entries may be kustomization folders kustomize descends into.
var dirFields = []string{"resources", "bases", "components", "generators", "transformers", "validators"}

// objectPathFields are lists of objects with a "path" to a file.
var objectPathFields = []string{"patches", "patchesJson6902", "replacements"}

// generatorFields are ConfigMap and Secret generators, whose "files" ("key=path"), "envs" and "env"
// name files.
var generatorFields = []string{"configMapGenerator", "secretGenerator"}

// RemoteError is a kustomization reference to content that is not on the local file system.
type RemoteError struct {
	File, Field, Reference string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("%s: %s: remote reference %q refused: selmount builds kustomizations from local files only (no git, no http)", e.File, e.Field, e.Reference)
}

// checkLocal refuses a kustomization folder, and every local kustomization folder it reaches, that
// refers to anything remote or declares Helm charts (which kustomize would fetch and run helm for).
func checkLocal(dir string) error {
	return checkLocalDir(dir, map[string]bool{})
}

func checkLocalDir(dir string, seen map[string]bool) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if seen[abs] {
		return nil // a cycle: kustomize reports it itself
	}
	seen[abs] = true
	file, ok := In(dir)
	if !ok {
		return nil // a plain folder of resources: kustomize reads only its kustomization
	}
	name := filepath.Join(dir, file)
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var k map[string]any
	if err := yaml.Unmarshal(data, &k); err != nil {
		return nil // malformed: kustomize names the error
	}
	if _, ok := k["helmCharts"]; ok {
		return &RemoteError{File: name, Field: "helmCharts", Reference: "helm"}
	}
	if _, ok := k["helmChartInflationGenerator"]; ok {
		return &RemoteError{File: name, Field: "helmChartInflationGenerator", Reference: "helm"}
	}
	for field, refs := range references(k) {
		for _, ref := range refs {
			if isRemote(ref) {
				return &RemoteError{File: name, Field: field, Reference: ref}
			}
		}
	}
	for _, field := range dirFields {
		for _, ref := range strings1(k[field]) {
			sub := filepath.Join(dir, ref)
			if info, err := os.Stat(sub); err == nil && info.IsDir() {
				if err := checkLocalDir(sub, seen); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// references collects every path-like value of a kustomization by field.
func references(k map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, f := range pathFields {
		for _, s := range strings1(k[f]) {
			// An inline patch or generator config spans lines; only one-line values are paths.
			if !strings.Contains(s, "\n") {
				out[f] = append(out[f], s)
			}
		}
	}
	for _, f := range objectPathFields {
		for _, item := range list(k[f]) {
			if m, ok := item.(map[string]any); ok {
				out[f] = append(out[f], strings1(m["path"])...)
			}
		}
	}
	for _, f := range generatorFields {
		for _, item := range list(k[f]) {
			m, ok := item.(map[string]any)
			if !ok {
				continue
			}
			for _, s := range strings1(m["files"]) {
				if _, path, found := strings.Cut(s, "="); found {
					s = path
				}
				out[f] = append(out[f], s)
			}
			out[f] = append(out[f], strings1(m["envs"])...)
			out[f] = append(out[f], strings1(m["env"])...)
		}
	}
	if m, ok := k["openapi"].(map[string]any); ok {
		out["openapi"] = strings1(m["path"])
	}
	return out
}

// isRemote is deliberately wider than kustomize's own parsers: anything with a scheme, a forced git
// protocol, a user ("git@host:"), a GitHub host or a query could reach git or the network, and no
// local path needs them.
func isRemote(ref string) bool {
	r := strings.ToLower(strings.TrimSpace(ref))
	if strings.Contains(r, "://") || strings.HasPrefix(r, "git::") || strings.Contains(r, "?") {
		return true
	}
	first, _, _ := strings.Cut(r, "/")
	if strings.Contains(first, "@") || strings.HasPrefix(first, "github.com") || strings.HasPrefix(r, "ssh:") {
		return true
	}
	return false
}

// strings1 reads a string or a list of strings; other values yield nothing.
func strings1(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}
