package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies/cluster"
)

// manifestUnit is one thing to decode from a folder: a manifest file, or a folder kustomize builds.
type manifestUnit struct {
	path          string
	kustomization bool
}

// walker lists manifests. It follows symbolic links to folders (a repository often links a shared
// folder into several places, and skipping it silently would pass a scan that saw nothing), reads
// every real folder and file once, and reports what it could not or would not read as diagnostics
// instead of aborting the whole scan.
type walker struct {
	units []manifestUnit
	diags []cluster.Diagnostic
	// seen holds the real path of every folder and file already listed.
	seen map[string]bool
}

func newWalker() *walker { return &walker{seen: map[string]bool{}} }

// walkManifests lists a folder's manifests in lexical order. A folder that holds a kustomization is
// one unit: its files are kustomize's inputs (patches, bases), not objects of their own, so neither
// it nor its subfolders are walked. Nor is a Helm chart's folder, which is a diagnostic instead; a
// kustomization wins over a Chart.yaml beside it, since kustomize can build it.
func walkManifests(root string) ([]manifestUnit, []cluster.Diagnostic, error) {
	w := newWalker()
	if err := w.walkRoot(root); err != nil {
		return nil, nil, err
	}
	return w.units, w.diags, nil
}

// walkRoot walks a folder given on the command line; reaching it a second time adds nothing.
func (w *walker) walkRoot(root string) error {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	w.walkDir(root, real, []string{real})
	return nil
}

// walkDir lists the folder path whose real path is real; ancestors are the real paths of the
// folders on the way down, to tell a link loop from a folder merely linked twice.
func (w *walker) walkDir(path, real string, ancestors []string) {
	if w.seen[real] {
		return
	}
	w.seen[real] = true
	if _, ok := kustomize.In(path); ok {
		w.units = append(w.units, manifestUnit{path: path, kustomization: true})
		return
	}
	if isHelmChart(path) {
		// Templates are Go templates, not YAML: read as manifests they abort the scan or, worse,
		// parse into objects that are not what Helm would apply.
		w.diag(cluster.DiagHelmChart, path, fmt.Sprintf("a Helm chart, not walked: its templates are manifests only once rendered; scan them with `helm template <release> %s | selmount scan -`", path))
		return
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		w.diag(cluster.DiagUnreadablePath, path, err.Error())
		return
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name, child := e.Name(), filepath.Join(path, e.Name())
		// .git and editor folders hold YAML that is not cluster state.
		if strings.HasPrefix(name, ".") {
			continue
		}
		info, err := os.Stat(child) // follows links
		if err != nil {
			if e.IsDir() || isManifestName(name) || e.Type()&os.ModeSymlink != 0 {
				w.diag(cluster.DiagUnreadablePath, child, err.Error())
			}
			continue
		}
		childReal, err := filepath.EvalSymlinks(child)
		if err != nil {
			w.diag(cluster.DiagUnreadablePath, child, err.Error())
			continue
		}
		switch {
		case info.IsDir():
			if contains(ancestors, childReal) {
				w.diag(cluster.DiagSymlinkLoop, child, fmt.Sprintf("links back to %s, which is being scanned; not followed", childReal))
				continue
			}
			if w.seen[childReal] {
				w.diagInfo(child, fmt.Sprintf("same folder as %s, scanned once", childReal))
				continue
			}
			w.walkDir(child, childReal, append(ancestors[:len(ancestors):len(ancestors)], childReal))
		case !isManifestName(name):
		case !info.Mode().IsRegular():
			// A FIFO or device would block or never end; only an explicit PATH may be one.
			w.diag(cluster.DiagSkippedFile, child, "not a regular file")
		case w.seen[childReal]:
			w.diagInfo(child, fmt.Sprintf("same file as %s, read once", childReal))
		default:
			w.seen[childReal] = true
			w.units = append(w.units, manifestUnit{path: child})
		}
	}
}

func (w *walker) diag(kind, path, msg string) {
	w.diags = append(w.diags, inputDiagnostic(kind, path, msg))
}

func (w *walker) diagInfo(path, msg string) {
	w.diags = append(w.diags, cluster.Diagnostic{Kind: cluster.DiagAlreadyScanned, Severity: cluster.DiagInfo, File: path, Message: msg})
}

// inputDiagnostic is a diagnostic about a path rather than an object.
func inputDiagnostic(kind, path, msg string) cluster.Diagnostic {
	return cluster.Diagnostic{Kind: kind, Severity: cluster.DiagnosticSeverity(kind), File: path, Message: msg}
}

// isHelmChart tells a chart's folder by its Chart.yaml, the file Helm itself requires (by that exact
// name).
func isHelmChart(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && info.Mode().IsRegular()
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".")
	}
	return false
}
