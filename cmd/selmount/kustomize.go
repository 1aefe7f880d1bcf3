package main

import (
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizationNames are the file names kustomize recognises, in its order of preference.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

func isKustomizationFile(name string) bool {
	return contains(kustomizationNames, name)
}

// kustomizationIn returns the kustomization file of a folder, if it has one.
func kustomizationIn(dir string) (string, bool) {
	for _, n := range kustomizationNames {
		if info, err := os.Stat(filepath.Join(dir, n)); err == nil && !info.IsDir() {
			return n, true
		}
	}
	return "", false
}

// buildKustomization runs kustomize as `kubectl kustomize` would (root-only loading, no plugins)
// and returns the output with the name its objects carry: the kustomization file, since that is
// what a reader edits to change them.
func buildKustomization(dir string) (string, []byte, error) {
	file, ok := kustomizationIn(dir)
	if !ok {
		return "", nil, fmt.Errorf("%s: no kustomization.yaml", dir)
	}
	name := filepath.Join(dir, file)
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
