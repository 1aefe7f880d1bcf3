package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

func TestWalkManifests(t *testing.T) {
	root := writeTree(t, map[string]string{
		"b.yaml":                   "",
		"a.yml":                    "",
		"c.json":                   "",
		"README.md":                "",
		"values.yaml.tmpl":         "",
		".hidden.yaml":             "",
		".git/config.yaml":         "",
		"sub/z.YAML":               "",
		"sub/deeper/y.yaml":        "",
		"app/kustomization.yaml":   "",
		"app/patch.yaml":           "",
		"app/base/deployment.yaml": "",
		"other/Kustomization":      "",
		"other/x.yaml":             "",
		"yml/kustomization.yml":    "",
	})
	units, _, err := walkManifests(root)
	require.NoError(t, err)
	var got []string
	for _, u := range units {
		rel, err := filepath.Rel(root, u.path)
		require.NoError(t, err)
		if u.kustomization {
			rel += " (kustomize)"
		}
		got = append(got, filepath.ToSlash(rel))
	}
	assert.Equal(t, []string{
		"a.yml", "app (kustomize)", "b.yaml", "c.json", "other (kustomize)",
		"sub/deeper/y.yaml", "sub/z.YAML", "yml (kustomize)",
	}, got)
}

func TestWalkRootKustomization(t *testing.T) {
	root := writeTree(t, map[string]string{"kustomization.yaml": "", "a.yaml": ""})
	units, _, err := walkManifests(root)
	require.NoError(t, err)
	assert.Equal(t, []manifestUnit{{path: root, kustomization: true}}, units)
}

// The reproducers: a link to a folder, given as PATH or met inside a folder, was skipped and
// the scan passed having seen nothing. Links are followed; a loop is reported once, not walked.
func TestScanFollowsSymlinkedFolders(t *testing.T) {
	real := writeTree(t, map[string]string{"pods.yaml": claimYAML + "---\n" + podAYAML + "---\n" + podBYAML})
	outer := t.TempDir()
	require.NoError(t, os.Symlink(real, filepath.Join(outer, "linked")))
	require.NoError(t, os.Symlink(outer, filepath.Join(outer, "linked-self"))) // a loop
	for _, path := range []string{filepath.Join(outer, "linked"), outer} {
		code, out, errOut := runCmd(t, "", "scan", path)
		assert.Equal(t, exitFindings, code, "%s: %s", path, errOut)
		assert.Contains(t, out, "Volume pvc/team/data", path)
	}
	code, out, _ := runCmd(t, "", "scan", "-o", "json", outer)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, `"kind": "symlink-loop"`)
	assert.Equal(t, 1, strings.Count(out, `"kind": "symlink-loop"`), out)
}

// A folder linked twice (a "current" link next to its target) is read once, not a duplicate object.
func TestWalkReadsALinkedFolderOnce(t *testing.T) {
	root := writeTree(t, map[string]string{"v1/pod.yaml": podAYAML})
	require.NoError(t, os.Symlink(filepath.Join(root, "v1"), filepath.Join(root, "current")))
	require.NoError(t, os.Symlink(filepath.Join(root, "v1", "pod.yaml"), filepath.Join(root, "pod-link.yaml")))
	units, diags, err := walkManifests(root)
	require.NoError(t, err)
	require.Len(t, units, 1)
	require.Len(t, diags, 2)
	for _, d := range diags {
		assert.Equal(t, cluster.DiagAlreadyScanned, d.Kind)
		assert.Equal(t, cluster.DiagInfo, d.Severity)
	}
	code, _, errOut := runCmd(t, "", "scan", "--fail-on", "warning", root, filepath.Join(root, "v1", "pod.yaml"))
	assert.Equal(t, exitOK, code, errOut)
}

// Stray files that are no Kubernetes objects are skipped with a warning diagnostic instead of
// aborting the scan; --fail-on warning counts them.
func TestScanSkipsFilesThatAreNotManifests(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"package.json":       `{"name": "app", "version": "1.0.0"}`,
		"chart/values.yaml":  "replicaCount: 2\nimage: {repository: nginx}\n",
		"manifests/ns.yaml":  nsYAML,
		"manifests/pod.yaml": podAYAML,
	})
	code, out, errOut := runCmd(t, "", "scan", dir)
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "skipped-file")
	assert.Contains(t, out, filepath.Join(dir, "package.json"))
	assert.Contains(t, out, filepath.Join(dir, "chart", "values.yaml"))
	code, _, _ = runCmd(t, "", "scan", "--fail-on", "warning", dir)
	assert.Equal(t, exitFindings, code)
}

// A dangling link or an unreadable folder is an error diagnostic: the default --fail-on counts it.
func TestScanReportsUnreadablePaths(t *testing.T) {
	dir := writeTree(t, map[string]string{"ns.yaml": nsYAML})
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling.yaml")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone-dir"), filepath.Join(dir, "dangling-dir")))
	code, out, errOut := runCmd(t, "", "scan", dir)
	assert.Equal(t, exitFindings, code, errOut)
	assert.Equal(t, 2, strings.Count(out, "unreadable-path"), out)
	assert.Contains(t, out, "dangling.yaml")
	code, _, _ = runCmd(t, "", "scan", "--fail-on", "none", dir)
	assert.Equal(t, exitOK, code)
}

// A folder given twice, or a file given next to the folder holding it, is read once: neither a
// duplicate object nor an empty PATH.
func TestScanPathGivenTwiceIsReadOnce(t *testing.T) {
	dir := writeTree(t, map[string]string{"ns.yaml": nsYAML})
	code, out, errOut := runCmd(t, "", "scan", "--fail-on", "warning", dir, dir, filepath.Join(dir, "ns.yaml"))
	assert.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "empty-input")
}

// A folder holding a Chart.yaml is one helm-chart diagnostic, however deep; its templates, values
// and subcharts are not walked. A kustomization beside a Chart.yaml wins: kustomize can build it.
func TestWalkSkipsHelmCharts(t *testing.T) {
	root := writeTree(t, map[string]string{
		"app/pod.yaml":                     "",
		"charts/web/Chart.yaml":            "",
		"charts/web/values.yaml":           "",
		"charts/web/templates/pod.yaml":    "",
		"charts/web/charts/db/Chart.yaml":  "",
		"kchart/Chart.yaml":                "",
		"kchart/kustomization.yaml":        "",
		"notchart/Chart.yaml/manifest.yml": "",
	})
	units, diags, err := walkManifests(root)
	require.NoError(t, err)
	var got []string
	for _, u := range units {
		rel, err := filepath.Rel(root, u.path)
		require.NoError(t, err)
		got = append(got, filepath.ToSlash(rel))
	}
	assert.Equal(t, []string{"app/pod.yaml", "kchart", "notchart/Chart.yaml/manifest.yml"}, got)
	chart := filepath.Join(root, "charts", "web")
	require.Len(t, diags, 1)
	assert.Equal(t, cluster.DiagHelmChart, diags[0].Kind)
	assert.Equal(t, cluster.DiagWarning, diags[0].Severity)
	assert.Equal(t, chart, diags[0].File)
	assert.Contains(t, diags[0].Message, "helm template <release> "+chart+" | selmount scan -")

	units, diags, err = walkManifests(chart)
	require.NoError(t, err)
	assert.Empty(t, units)
	require.Len(t, diags, 1)
	assert.Equal(t, cluster.DiagHelmChart, diags[0].Kind)
}

// The reproducer: a Helm chart next to manifests aborted the whole scan with exit 2 on its
// first template. It is a warning diagnostic now and the manifests are scanned. A chart named as
// PATH is the same diagnostic; as it yields no object, the PATH is empty input as well.
func TestScanReportsHelmCharts(t *testing.T) {
	chartFiles := map[string]string{
		"charts/web/Chart.yaml":         "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"charts/web/values.yaml":        "name: web\n",
		"charts/web/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n",
	}
	tree := func(files map[string]string) string {
		for k, v := range chartFiles {
			files[k] = v
		}
		return writeTree(t, files)
	}
	conflict := tree(map[string]string{"deploy/ns.yaml": nsYAML, "deploy/claim.yaml": claimYAML, "deploy/a.yaml": podAYAML, "deploy/b.yaml": podBYAML})
	quiet := tree(map[string]string{"deploy/ns.yaml": nsYAML})
	chart := filepath.Join(quiet, "charts", "web")
	hint := "helm template <release> " + chart + " | selmount scan -"
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{name: "findings of the other files", args: []string{conflict}, code: exitFindings,
			stdout: []string{"SELINUX-006", "helm-chart", filepath.Join(conflict, "charts", "web"), "helm template"}},
		{name: "a warning passes at error", args: []string{quiet}, code: exitOK, stdout: []string{"warning   helm-chart", hint}},
		{name: "fails at warning", args: []string{"--fail-on", "warning", quiet}, code: exitFindings},
		{name: "fail-on none", args: []string{"--fail-on", "none", conflict}, code: exitOK, stdout: []string{"SELINUX-006", "helm-chart"}},
		{name: "json", args: []string{"-o", "json", quiet}, code: exitOK,
			stdout: []string{`"kind": "helm-chart"`, `"severity": "warning"`, `"file": "` + chart + `"`, hint}},
		{name: "sarif", args: []string{"-o", "sarif", quiet}, code: exitOK, stdout: []string{`"id": "helm-chart"`, hint}},
		{name: "chart as the only PATH", args: []string{chart}, code: exitUsage, stderr: "holds no Kubernetes object: " + chart + ": a Helm chart, not walked"},
		{name: "chart as PATH next to others", args: []string{chart, filepath.Join(quiet, "deploy")}, code: exitFindings,
			stdout: []string{"helm-chart", "empty-input", hint}},
		{name: "chart as PATH, empty allowed", args: []string{"--allow-empty", chart}, code: exitOK, stdout: []string{"helm-chart", hint}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "", append([]string{"scan"}, tc.args...)...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errOut)
			for _, want := range tc.stdout {
				assert.Contains(t, out, want)
			}
			assert.Contains(t, errOut, tc.stderr)
			assert.NotContains(t, out, "malformed")
		})
	}
}

// A file in a folder that the YAML or JSON parser refuses aborted the whole scan. It is an error
// diagnostic now, naming the file, document and the parser's line, and every other file is still
// scanned: the default --fail-on error fails, as the file may hold the Pods a finding is about.
// Named as PATH or given on stdin it is still bad input.
func TestScanReportsMalformedFilesInFolders(t *testing.T) {
	brokenYAML := nsYAML + "---\n# a typo below\napiVersion: v1\nkind: Pod\nmetadata: {name: x\n"
	brokenJSON := `{"apiVersion": "v1", "kind": "Pod",`
	conflict := writeTree(t, map[string]string{"ns.yaml": nsYAML, "claim.yaml": claimYAML, "a.yaml": podAYAML, "b.yaml": podBYAML,
		"broken.yaml": brokenYAML, "sub/broken.json": brokenJSON})
	quiet := writeTree(t, map[string]string{"ns.yaml": nsYAML, "broken.yaml": brokenYAML})
	onlyBroken := writeTree(t, map[string]string{"broken.yaml": brokenYAML, "broken.json": brokenJSON})
	good := writeTree(t, map[string]string{"ns.yaml": nsYAML})
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout []string
		stderr string
	}{
		{name: "findings of the other files", args: []string{conflict}, code: exitFindings, stdout: []string{
			"SELINUX-006", "team/a", "team/b",
			"error     malformed-file", filepath.Join(conflict, "broken.yaml"), "document 2 (starts at line 6): malformed YAML: yaml: line 4: ",
			filepath.Join(conflict, "sub", "broken.json"), "document 1: malformed JSON: unexpected EOF (file not scanned)",
			"2 diagnostics (2 errors, 0 warnings)",
		}},
		{name: "an error without findings fails", args: []string{quiet}, code: exitFindings, stdout: []string{"0 findings", "malformed-file"}},
		{name: "fail-on none", args: []string{"--fail-on", "none", conflict}, code: exitOK, stdout: []string{"SELINUX-006", "malformed-file"}},
		{name: "json", args: []string{"-o", "json", quiet}, code: exitFindings,
			stdout: []string{`"kind": "malformed-file"`, `"severity": "error"`, `"file": "` + filepath.Join(quiet, "broken.yaml") + `"`}},
		{name: "sarif", args: []string{"-o", "sarif", quiet}, code: exitFindings,
			stdout: []string{`"id": "malformed-file"`, `"level": "error"`, filepath.Join(quiet, "broken.yaml") + ": document 2"}},
		{name: "nothing else in the folder", args: []string{onlyBroken}, code: exitUsage,
			stderr: "holds no Kubernetes object: " + filepath.Join(onlyBroken, "broken.json") + ": document 1: malformed JSON"},
		{name: "named as PATH", args: []string{good, filepath.Join(quiet, "broken.yaml")}, code: exitUsage,
			stderr: filepath.Join(quiet, "broken.yaml") + ": document 2: malformed YAML"},
		{name: "stdin", args: []string{good, "-"}, stdin: brokenJSON, code: exitUsage, stderr: "<stdin>: document 1: malformed JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tc.stdin, append([]string{"scan"}, tc.args...)...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errOut)
			for _, want := range tc.stdout {
				assert.Contains(t, out, want)
			}
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}
