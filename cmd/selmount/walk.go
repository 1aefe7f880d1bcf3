package main

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/selmount/selmount/internal/kustomize"
)

// manifestUnit is one thing to decode from a folder: a manifest file, or a folder kustomize builds.
type manifestUnit struct {
	path          string
	kustomization bool
}

// walkManifests lists a folder's manifests in lexical order. A folder that holds a kustomization is
// one unit: its files are kustomize's inputs (patches, bases), not objects of their own, so neither
// it nor its subfolders are walked.
func walkManifests(root string) ([]manifestUnit, error) {
	var out []manifestUnit
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// .git and editor folders hold YAML that is not cluster state.
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if _, ok := kustomize.In(path); ok {
				out = append(out, manifestUnit{path: path, kustomization: true})
				return filepath.SkipDir
			}
			return nil
		}
		if isManifestName(d.Name()) {
			out = append(out, manifestUnit{path: path})
		}
		return nil
	})
	return out, err
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".")
	}
	return false
}
