// Package kustomize builds a kustomization folder the way `kubectl kustomize` does, for the scan CLI
// and for the engines that load selmount's own bundles.
package kustomize

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizationNames are the file names kustomize recognises, in its order of preference.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// IsKustomizationFile tells whether a file name is one kustomize reads.
func IsKustomizationFile(name string) bool {
	return slices.Contains(kustomizationNames, name)
}

// In returns the kustomization file of a folder, if it has one.
func In(dir string) (string, bool) {
	for _, n := range kustomizationNames {
		if info, err := os.Stat(filepath.Join(dir, n)); err == nil && !info.IsDir() {
			return n, true
		}
	}
	return "", false
}

// Build runs kustomize as `kubectl kustomize` would (root-only loading, no plugins, so no exec or
// container functions and no Helm) but from local files only: a remote resource, base or file is
// refused with a *RemoteError before kustomize runs (see local.go). It returns the output with the
// name its objects carry: the kustomization file, since that is what a reader edits to change them.
func Build(dir string) (string, []byte, error) {
	file, ok := In(dir)
	if !ok {
		return "", nil, fmt.Errorf("%s: no kustomization.yaml", dir)
	}
	name := filepath.Join(dir, file)
	if err := checkLocal(dir); err != nil {
		return "", nil, err
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return "", nil, fmt.Errorf("%s: kustomize build: %v", name, err)
	}
	out, err := resMap.AsYaml()
	if err != nil {
		return "", nil, fmt.Errorf("%s: kustomize build: %v", name, err)
	}
	return name, out, nil
}
