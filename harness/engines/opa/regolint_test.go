package opa

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/stretchr/testify/require"
)

// regoFiles are every hand-written Rego file users and Gatekeeper load: rego/ and gatekeeper/src.
func regoFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range []string{regoDir, filepath.Join(regoDir, "..", "gatekeeper", "src")} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
				return err
			}
			data, err := os.ReadFile(path)
			files[path] = string(data)
			return err
		})
		require.NoError(t, err)
	}
	require.NotEmpty(t, files)
	return files
}

// `opa fmt --fail`, through OPA's formatter: a diff in review is about behaviour, never layout.
func TestRegoIsFormatted(t *testing.T) {
	for path, src := range regoFiles(t) {
		got, err := format.SourceWithOpts(path, []byte(src), format.Opts{RegoVersion: ast.RegoV1})
		require.NoError(t, err, path)
		if !bytes.Equal(got, []byte(src)) {
			t.Errorf("%s is not formatted as `opa fmt` would write it", path)
		}
	}
}

// `opa check --strict`, through OPA's compiler: unused variables and imports, shadowed keywords and
// duplicate imports are errors, as in the CLI.
func TestRegoCompilesStrictly(t *testing.T) {
	modules := map[string]*ast.Module{}
	for path, src := range regoFiles(t) {
		m, err := ast.ParseModuleWithOpts(path, src, ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		require.NoError(t, err, path)
		modules[path] = m
	}
	c := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(false)
	c.Compile(modules)
	require.False(t, c.Failed(), "%v", c.Errors)
}
