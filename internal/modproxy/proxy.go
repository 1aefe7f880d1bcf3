// Package modproxy lays out a module version as a GOPROXY file tree, so that `go install
// module/cmd@version` can be tried from a checkout exactly as the module proxy would serve a tag:
// without the replace directives of any other module and without the nested modules' files.
package modproxy

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Write stores module@version from root (files: slash paths relative to root) under dir, in the
// layout of the GOPROXY protocol: <module>/@v/{list,<version>.info,<version>.mod,<version>.zip}.
func Write(dir, root, module, version string, files []string) error {
	if strings.ToLower(module) != module {
		return fmt.Errorf("module %q: upper-case paths need escaping, which this proxy does not do", module)
	}
	vdir := filepath.Join(dir, filepath.FromSlash(module), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	info, _ := json.Marshal(map[string]string{"Version": version})
	for name, data := range map[string][]byte{"list": []byte(version + "\n"), version + ".info": info, version + ".mod": mod} {
		if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
			return err
		}
	}
	return writeZip(filepath.Join(vdir, version+".zip"), root, module+"@"+version, Served(files))
}

// Served drops what a module zip leaves out: files of nested modules (any folder below the root
// that has its own go.mod) and vendor trees.
func Served(files []string) []string {
	nested := map[string]bool{}
	for _, f := range files {
		if d := path.Dir(f); path.Base(f) == "go.mod" && d != "." {
			nested[d] = true
		}
	}
	var kept []string
	for _, f := range files {
		if !inNested(f, nested) && !strings.HasPrefix(f, "vendor/") && !strings.Contains(f, "/vendor/") {
			kept = append(kept, f)
		}
	}
	return kept
}

func inNested(f string, nested map[string]bool) bool {
	for d := path.Dir(f); d != "." && d != "/"; d = path.Dir(d) {
		if nested[d] {
			return true
		}
	}
	return false
}

func writeZip(name, root, prefix string, files []string) (err error) {
	out, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(out)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return err
		}
		w, err := zw.Create(prefix + "/" + f)
		if err != nil {
			return err
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}
