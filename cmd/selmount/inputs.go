package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies/cluster"
)

// stdinName is the file name objects read from standard input carry in messages.
const stdinName = "<stdin>"

// input is everything read from the command line's paths.
type input struct {
	objects []cluster.Object
	// raw holds each decoded file's bytes by the name its objects carry, so that SARIF can turn a
	// document number into a line. Kustomize output is absent: its documents are not lines of any
	// file the user owns.
	raw map[string][]byte
}

// loadPaths decodes every path in order. Errors name the path (or file and document).
func loadPaths(paths []string, stdin io.Reader) (*input, error) {
	in := &input{raw: map[string][]byte{}}
	stdinUsed := false
	for _, p := range paths {
		if p == "-" {
			if stdinUsed {
				return nil, fmt.Errorf("-: standard input given twice")
			}
			stdinUsed = true
			data, err := io.ReadAll(stdin)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", stdinName, err)
			}
			if err := in.decodeFile(stdinName, data); err != nil {
				return nil, err
			}
			continue
		}
		if err := in.loadPath(p); err != nil {
			return nil, err
		}
	}
	return in, nil
}

func (in *input) loadPath(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		return err // *PathError: names the path
	}
	if !info.IsDir() {
		if kustomize.IsKustomizationFile(filepath.Base(p)) {
			return in.loadKustomization(filepath.Dir(p))
		}
		return in.loadFile(p)
	}
	units, err := walkManifests(p)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.kustomization {
			err = in.loadKustomization(u.path)
		} else {
			err = in.loadFile(u.path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (in *input) loadFile(p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return in.decodeFile(p, data)
}

func (in *input) decodeFile(name string, data []byte) error {
	objs, err := cluster.Decode(name, data)
	if err != nil {
		return err
	}
	in.objects = append(in.objects, objs...)
	in.raw[name] = data
	return nil
}

func (in *input) loadKustomization(dir string) error {
	name, data, err := kustomize.Build(dir)
	if err != nil {
		return err
	}
	objs, err := cluster.Decode(name, data)
	if err != nil {
		return err
	}
	in.objects = append(in.objects, objs...)
	return nil
}
