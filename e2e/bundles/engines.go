package bundles

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// Engine is a policy engine whose bundles are applied: its CustomResourceDefinitions (and the
// namespace its release creates) come from the release's own manifests in the module cache, at the
// version harness/engines/go.mod requires, so that the e2e checks the same release the harness runs.
type Engine struct {
	Name   string   // "gatekeeper"
	Module string   // "github.com/open-policy-agent/gatekeeper/v3"
	Files  []string // manifests or folders of manifests in the module, read in order
	// Kinds are the kinds taken from them; CustomResourceDefinitions always, a Namespace when the
	// bundle puts objects into the engine's own namespace.
	Kinds []string
}

// Engines are Gatekeeper and Kyverno. No controller runs (no template controller, no webhook): only
// what the API server itself checks, CRD schemas and CRD validation rules, is exercised.
var Engines = []Engine{
	// Gatekeeper's release manifest; gatekeeper/base/sync.yaml is the Config in gatekeeper-system.
	{Name: "gatekeeper", Module: "github.com/open-policy-agent/gatekeeper/v3", Files: []string{"deploy/gatekeeper.yaml"},
		Kinds: []string{"CustomResourceDefinition", "Namespace"}},
	// Kyverno's release (install.yaml, from the chart) holds these 22 CRDs.
	{Name: "kyverno", Module: "github.com/kyverno/kyverno", Files: []string{"config/crds"},
		Kinds: []string{"CustomResourceDefinition"}},
}

// EngineRelease is an engine's module as the Go module cache holds it.
type EngineRelease struct {
	Version, Dir string
}

// goTimeout bounds `go mod download` (a no-op with a warm cache).
const goTimeout = 5 * time.Minute

// Release asks the go command, in harness/engines, where the module of the version that module
// requires is (downloading it when the cache lacks it).
func (e Engine) Release(root string) (EngineRelease, error) {
	ctx, cancel := context.WithTimeout(context.Background(), goTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", e.Module)
	cmd.Dir = filepath.Join(root, "harness", "engines")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return EngineRelease{}, fmt.Errorf("go mod download %s: %v: %s", e.Module, err, stderr.String())
	}
	var r EngineRelease
	if err := json.Unmarshal(out, &r); err != nil || r.Dir == "" {
		return EngineRelease{}, fmt.Errorf("go mod download %s: no module folder in %q (%v)", e.Module, out, err)
	}
	return r, nil
}

// Manifest writes the objects of e's Kinds from the release's files into one manifest under dir and
// returns its path and the names of the CRDs in it.
func (e Engine) Manifest(rel EngineRelease, dir string) (path string, crds []string, err error) {
	var docs [][]byte
	for _, f := range e.Files {
		files, err := manifestFiles(filepath.Join(rel.Dir, f))
		if err != nil {
			return "", nil, err
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				return "", nil, err
			}
			for _, doc := range SplitYAML(data) {
				var head struct {
					Kind     string `json:"kind"`
					Metadata struct {
						Name string `json:"name"`
					} `json:"metadata"`
				}
				if err := yaml.Unmarshal(doc, &head); err != nil {
					return "", nil, fmt.Errorf("%s: %v", file, err)
				}
				if !slices.Contains(e.Kinds, head.Kind) {
					continue
				}
				if head.Kind == "CustomResourceDefinition" {
					crds = append(crds, head.Metadata.Name)
				}
				docs = append(docs, doc)
			}
		}
	}
	if len(crds) == 0 {
		return "", nil, fmt.Errorf("%s %s: no CustomResourceDefinition in %v", e.Module, rel.Version, e.Files)
	}
	path = filepath.Join(dir, e.Name+"-crds.yaml")
	return path, crds, os.WriteFile(path, bytes.Join(docs, []byte("\n---\n")), 0o644)
}

// manifestFiles is path itself, or the YAML files under it in lexical order.
func manifestFiles(path string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	return files, err
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// SplitYAML splits a multi-document YAML stream, dropping documents that hold only comments.
func SplitYAML(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range docSeparator.Split(string(data), -1) {
		if strings.TrimSpace(stripComments(d)) != "" {
			docs = append(docs, []byte(strings.TrimSpace(d)+"\n"))
		}
	}
	return docs
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// Installed is what installing an engine's CRDs did on one server.
type Installed struct {
	Engine   string    `json:"engine"`
	Release  string    `json:"release"` // "v3.23.1"
	Version  string    `json:"version"` // the server's
	CRDs     int       `json:"crds"`
	Objects  []Outcome `json:"objects"`
	Warnings []string  `json:"warnings,omitempty"`
	Unread   []string  `json:"unread,omitempty"`
	// NotEstablished is kubectl wait's complaint when a CRD did not become Established.
	NotEstablished string `json:"notEstablished,omitempty"`
}

// OK is true when every object was created and every CRD is Established.
func (i Installed) OK() bool {
	if len(i.Unread) > 0 || i.NotEstablished != "" || len(i.Objects) == 0 {
		return false
	}
	for _, o := range i.Objects {
		if !o.Accepted {
			return false
		}
	}
	return true
}

// Install creates the manifest's objects with `kubectl create -f` (Kyverno's install instructions use
// create: its CRDs exceed the last-applied annotation's 256 KiB) and waits until every CRD is
// Established, as a release's install does before anything uses them.
func Install(k Kubectl, e Engine, rel EngineRelease, version, manifest string, crds []string) Installed {
	in := Installed{Engine: e.Name, Release: rel.Version, Version: version, CRDs: len(crds)}
	out, _ := k.Run("create", "-f", manifest)
	in.Objects, in.Warnings, in.Unread = ParseApply(strings.ReplaceAll(out, filepath.Dir(manifest)+"/", ""))
	args := []string{"wait", "--for=condition=Established", "--timeout=60s"}
	for _, c := range crds {
		args = append(args, "customresourcedefinition.apiextensions.k8s.io/"+c)
	}
	if out, code := k.Run(args...); code != 0 {
		in.NotEstablished = strings.TrimSpace(out)
	}
	return in
}

// Uninstall deletes the manifest's objects (the engine's CRDs and with them every custom resource).
func Uninstall(k Kubectl, manifest string) error {
	out, code := k.Run("delete", "-f", manifest, "--ignore-not-found", "--wait=true")
	if code != 0 {
		return fmt.Errorf("kubectl delete -f %s: exit %d: %s", manifest, code, out)
	}
	return nil
}
