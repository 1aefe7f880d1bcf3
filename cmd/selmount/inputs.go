package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies/cluster"
)

// stdinName is the file name objects read from standard input carry in messages.
const stdinName = "<stdin>"

// maxInputBytes caps one file or standard input: reading more would end in an out-of-memory crash,
// which a CI job cannot tell from bad input (decoding takes several times the file's size). A
// variable only so that a test can lower it.
var maxInputBytes = 1 << 30

// input is everything read from the command line's paths.
type input struct {
	objects []cluster.Object
	// raw holds each decoded file's bytes by the name its objects carry, so that SARIF can turn a
	// document number into a line. Kustomize output is absent: its documents are not lines of any
	// file the user owns.
	raw map[string][]byte
	// diags are paths skipped or not read, in the order met.
	diags []cluster.Diagnostic
	// seen holds the real path of every file and folder read, so that a file given twice (directly
	// and inside a folder, or through a link) is read once instead of being a duplicate object.
	seen map[string]bool
	// again is set when the PATH being loaded was read before, so that it is not called empty.
	again bool
	// unmaps release the files mapped rather than read (mapFile), once nothing reads their bytes.
	unmaps []func()
	// heap is told each file's size before its decode; nil leaves the collector alone.
	heap *heapTarget
}

// release unmaps the mapped files. The objects never point into a file's bytes (every string is
// copied out of them), but raw does: it is emptied too, so that nothing reads an unmapped page.
func (in *input) release() {
	for _, unmap := range in.unmaps {
		unmap()
	}
	in.unmaps, in.raw = nil, nil
}

// loadPaths decodes every path in order. Errors name the path (or file and document). A PATH that
// yields no object is an empty-input diagnostic: `kubectl get … | selmount scan -` after kubectl
// failed must not pass.
func loadPaths(paths []string, stdin io.Reader, heap *heapTarget) (_ *input, err error) {
	in := &input{raw: map[string][]byte{}, seen: map[string]bool{}, heap: heap}
	defer func() {
		if err != nil {
			in.release()
		}
	}()
	stdinUsed := false
	for _, p := range paths {
		before := len(in.objects)
		name := p
		in.again = false
		if p == "-" {
			if stdinUsed {
				return nil, fmt.Errorf("-: standard input given twice")
			}
			stdinUsed, name = true, stdinName
			data, err := readCapped(stdinName, stdin)
			if err != nil {
				return nil, err
			}
			if err := in.decodeFile(stdinName, data, nil); err != nil {
				return nil, err
			}
		} else if err := in.loadPath(p); err != nil {
			return nil, err
		}
		if len(in.objects) == before && !in.again {
			in.diags = append(in.diags, inputDiagnostic(cluster.DiagEmptyInput, name, "holds no Kubernetes object"))
		}
	}
	return in, nil
}

func (in *input) loadPath(p string) error {
	info, err := os.Stat(p) // follows a link given as PATH, to a file or a folder
	if err != nil {
		return err // *PathError: names the path
	}
	if !info.IsDir() {
		if kustomize.IsKustomizationFile(filepath.Base(p)) {
			return in.loadKustomization(filepath.Dir(p))
		}
		return in.loadFile(p)
	}
	if real, err := filepath.EvalSymlinks(p); err == nil && in.seen[real] {
		in.again = true
		return nil
	}
	w := newWalker()
	w.seen = in.seen
	if err := w.walkRoot(p); err != nil {
		return err
	}
	in.diags = append(in.diags, w.diags...)
	for _, u := range w.units {
		if u.kustomization {
			err = in.loadKustomization(u.path)
		} else {
			err = in.decodeWalked(u.path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// decodeWalked decodes a file met in a folder. A file the parser refuses is an error diagnostic, not
// the end of the scan: one typo, or a template that is not YAML, must not hide every other file's
// findings from a repository scan. A file named as PATH, or standard input, is still bad input: the
// user meant that file. Limits stay hard errors everywhere, as they guard memory.
func (in *input) decodeWalked(p string) error {
	err := in.decodePath(p)
	var malformed *cluster.MalformedError
	if !errors.As(err, &malformed) {
		return err
	}
	where := fmt.Sprintf("document %d", malformed.Source.Doc)
	if malformed.Source.Line > 1 {
		// The YAML parser counts lines from the document's start.
		where += fmt.Sprintf(" (starts at line %d)", malformed.Source.Line)
	}
	in.diags = append(in.diags, inputDiagnostic(cluster.DiagMalformedFile, p,
		fmt.Sprintf("%s: malformed %s: %v (file not scanned)", where, malformed.Format, malformed.Err)))
	return nil
}

// loadFile reads a file named on the command line, unless a folder already read it.
func (in *input) loadFile(p string) error {
	if real, err := filepath.EvalSymlinks(p); err == nil {
		if in.seen[real] {
			in.again = true
			return nil
		}
		in.seen[real] = true
	}
	return in.decodePath(p)
}

// readAll is io.ReadAll starting from a buffer of size bytes.
func readAll(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow as io.ReadAll does
		}
	}
}

func (in *input) decodePath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() <= int64(maxInputBytes) {
		if data, unmap, release, ok := mapFile(f, int(info.Size())); ok {
			in.unmaps = append(in.unmaps, unmap)
			return in.decodeFile(p, data, release)
		}
	}
	data, err := readCapped(p, f)
	if err != nil {
		return err
	}
	return in.decodeFile(p, data, nil)
}

// readCapped reads all of r, refusing more than maxInputBytes. A file's buffer is allocated at its
// size: io.ReadAll grows by copying, and the copies of a 400 MB dump would double the scan's peak
// memory.
func readCapped(name string, r io.Reader) ([]byte, error) {
	size := 512
	if f, ok := r.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() <= int64(maxInputBytes) {
			size = int(info.Size()) + 1 // +1 so that the read meeting EOF needs no growth
		}
	}
	data, err := readAll(io.LimitReader(r, int64(maxInputBytes)+1), size)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(data) > maxInputBytes {
		return nil, fmt.Errorf("%s: more than %d MiB of input, the most selmount reads from one file", name, maxInputBytes>>20)
	}
	return data, nil
}

// decodeObjects is cluster.DecodeScanReleasing: the fast path for JSON, objects with only what the
// model reads, and a mapped file's pages handed back as it goes. A variable so that the
// equivalence test can run the scan with cluster.Decode instead.
var decodeObjects = cluster.DecodeScanReleasing

// decodeFile decodes one file; a file that holds no Kubernetes object is skipped with a diagnostic,
// because one stray package.json must not abort the scan of a whole repository. release, when not
// nil, drops pages of a mapped file that the decode is done with.
func (in *input) decodeFile(name string, data []byte, release func(from, to int)) error {
	in.heap.read(len(data))
	objs, err := decodeObjects(name, data, release)
	var notManifest *cluster.NotManifestError
	if errors.As(err, &notManifest) {
		in.diags = append(in.diags, inputDiagnostic(cluster.DiagSkippedFile, name, "document 1: "+notManifest.Reason+": not a Kubernetes manifest, skipped"))
		return nil
	}
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
