package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScanExitCodes(t *testing.T) {
	conflict := writeTree(t, map[string]string{"ns.yaml": nsYAML, "claim.yaml": claimYAML, "a.yaml": podAYAML, "b.yaml": podBYAML})
	quiet := writeTree(t, map[string]string{"ns.yaml": nsYAML, "claim.yaml": claimYAML, "a.yaml": podAYAML})
	manifests := filepath.Join(examples, "manifests")
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string
		stderr string
	}{
		{name: "errors fail by default", args: []string{manifests}, code: exitFindings},
		{name: "fail-on none", args: []string{manifests, "--fail-on", "none"}, code: exitOK},
		{name: "no findings", args: []string{quiet}, code: exitOK, stdout: "0 findings"},
		{name: "warnings pass at error", args: []string{"--profile", "v1.36", conflict}, code: exitOK, stdout: "SELINUX-001"},
		{name: "warnings fail at warning", args: []string{"--profile", "v1.36", "--fail-on", "warning", conflict}, code: exitFindings},
		{name: "v1.37 refuses the later pod", args: []string{conflict}, code: exitFindings, stdout: "SELINUX-006"},
		{name: "gate override", args: []string{"--profile", "v1.36,SELinuxMount=true", conflict}, code: exitFindings, stdout: "SELINUX-006"},
		{name: "bad profile", args: []string{"--profile", "v1.20", conflict}, code: exitUsage, stderr: `unknown profile "v1.20"`},
		{name: "bad gate", args: []string{"--profile", "v1.37,Foo=true", conflict}, code: exitUsage, stderr: `unknown feature gate "Foo"`},
		{name: "missing path", args: []string{filepath.Join(conflict, "nope.yaml")}, code: exitUsage, stderr: "nope.yaml: no such file or directory"},
		{name: "second path missing", args: []string{conflict, "does-not-exist"}, code: exitUsage, stderr: "does-not-exist"},
		{name: "stdin", args: []string{"-"}, stdin: nsYAML + "---\n" + claimYAML + "---\n" + podAYAML + "---\n" + podBYAML, code: exitFindings, stdout: "team/a"},
		{name: "stdin twice", args: []string{"-", "-"}, code: exitUsage, stderr: "standard input given twice"},
		{name: "stdin and files share one state", args: []string{filepath.Join(conflict, "claim.yaml"), "-", filepath.Join(conflict, "b.yaml")}, stdin: podAYAML, code: exitFindings, stdout: "SELINUX-006"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tc.stdin, append([]string{"scan"}, tc.args...)...)
			assert.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", out, errOut)
			assert.Contains(t, out, tc.stdout)
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}

// Bad input must end in exit 2 with a message naming the file and the document, never a panic.
// A malformed file is named as PATH: met in a folder it is a diagnostic (walk_test.go).
func TestScanBadInput(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		path   string // the PATH to scan, relative to the folder; the folder itself when empty
		stderr []string
	}{
		{name: "malformed YAML", files: map[string]string{"bad.yaml": nsYAML + "---\nkind: Pod\nmetadata: {name: x\n"}, path: "bad.yaml",
			stderr: []string{"bad.yaml: document 2", "malformed YAML"}},
		{name: "object without kind", files: map[string]string{"nokind.yaml": "apiVersion: v1\nmetadata: {name: x}\n"},
			stderr: []string{"nokind.yaml: document 1", "object has no kind"}},
		{name: "pod without name", files: map[string]string{"noname.yaml": nsYAML + "---\napiVersion: v1\nkind: Pod\nspec: {}\n"},
			stderr: []string{"noname.yaml: document 2", "Pod has no metadata.name"}},
		{name: "duplicates across files", files: map[string]string{"one.yaml": podAYAML, "two.yaml": nsYAML + "---\n" + podAYAML},
			stderr: []string{"two.yaml: document 2: duplicate object Pod team/a", "first at", "one.yaml: document 1"}},
		{name: "scalar document", files: map[string]string{"scalar.yaml": "just a string\n"},
			stderr: []string{"scalar.yaml: document 1", "not an object"}},
		{name: "malformed JSON", files: map[string]string{"bad.json": `{"apiVersion": "v1", "kind": "Pod",`}, path: "bad.json",
			stderr: []string{"bad.json: document 1", "malformed JSON"}},
		{name: "list item without kind", files: map[string]string{"list.yaml": "apiVersion: v1\nkind: List\nitems:\n- metadata: {name: x}\n"},
			stderr: []string{"list.yaml: document 1, item 1", "no kind"}},
		{name: "wrong field type", files: map[string]string{"type.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: 5}\n"},
			stderr: []string{"type.yaml: document 1", "Pod default/x"}},
		{name: "kustomize failure", files: map[string]string{"k/kustomization.yaml": "resources:\n- missing.yaml\n"},
			stderr: []string{filepath.Join("k", "kustomization.yaml") + ": kustomize build"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			code, out, errOut := runCmd(t, "", "scan", filepath.Join(dir, tc.path))
			assert.Equal(t, exitUsage, code, "stdout: %s", out)
			assert.Empty(t, out, "nothing is rendered for bad input")
			for _, want := range tc.stderr {
				assert.Contains(t, errOut, want)
			}
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %s", errOut)
		})
	}
}

// Degenerate but valid input scans without error in every format (with --allow-empty, since some
// hold no object).
func TestScanDegenerateInput(t *testing.T) {
	inputs := map[string]string{
		"empty":                 "",
		"only comments":         "# nothing here\n---\n# nor here\n",
		"null documents":        "null\n---\n~\n---\n",
		"separators only":       "---\n---\n---\n",
		"empty JSON list":       `{"apiVersion":"v1","kind":"List","items":[]}`,
		"pod with null spec":    "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: null\n",
		"pod with empty spec":   "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n",
		"pod with null volumes": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {volumes: null, containers: [{name: c, volumeMounts: [{name: ghost, mountPath: /g}]}]}\n",
		"pod with null securityContext": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: null\n  os: null\n" +
			"  containers: [{name: c, securityContext: {seLinuxOptions: null}, volumeMounts: [{name: v, mountPath: /v}]}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: \"\"}}]\n",
		"deployment with null template":           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: null}\n",
		"replication controller without template": "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec: {}\n",
		"cronjob with null spec":                  "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec: null\n",
		"statefulset with templates":              "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  volumeClaimTemplates: [{metadata: {name: data}}]\n  template: {spec: {containers: [{name: c, volumeMounts: [{name: data, mountPath: /d}]}]}}\n",
		"ephemeral volume":                        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, volumeMounts: [{name: e, mountPath: /e}]}]\n  volumes: [{name: e, ephemeral: {volumeClaimTemplate: null}}]\n",
		"pv without source":                       "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec: null\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {volumeName: pv}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: c}}]\n",
		"namespace with null labels":              "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1, labels: null}\n",
		"unknown kind":                            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
		"csidriver with null spec":                "apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: d}\nspec: null\n",
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			for _, format := range formats {
				code, _, errOut := runCmd(t, in, "scan", "--allow-empty", "-o", format, "-")
				assert.Equal(t, exitOK, code, "format %s: %s", format, errOut)
			}
		})
	}
}

// The reproducer: `kubectl get … | selmount scan -` after kubectl failed exited 0. Input with
// no object is bad input now, in every format, unless --allow-empty says it is expected.
func TestScanRefusesEmptyInput(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n", "---\n", `{"apiVersion":"v1","kind":"List","items":[]}`} {
		for _, format := range formats {
			code, out, errOut := runCmd(t, in, "scan", "-o", format, "-")
			assert.Equal(t, exitUsage, code, "%q %s", in, format)
			assert.Contains(t, errOut, "holds no Kubernetes object")
			assert.Empty(t, out)
		}
	}
	code, out, errOut := runCmd(t, "", "scan", "--allow-empty", "-o", "json", "-")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, errOut, "warning: the input holds no Kubernetes object")
	assert.Contains(t, out, `"findings": []`)
	assert.Contains(t, out, `"kind": "empty-input"`)
	assert.Contains(t, out, `"severity": "info"`)
}

// An empty standard input next to a folder with objects is still reported: an error diagnostic,
// which the default --fail-on error counts.
func TestScanEmptyPathNextToOthersFails(t *testing.T) {
	dir := writeTree(t, map[string]string{"ns.yaml": nsYAML, "empty.yaml": ""})
	code, out, _ := runCmd(t, "", "scan", dir, "-")
	assert.Equal(t, exitFindings, code, out)
	assert.Contains(t, out, "empty-input")
	assert.Contains(t, out, "<stdin>")
	code, _, _ = runCmd(t, "", "scan", "--allow-empty", dir, "-")
	assert.Equal(t, exitOK, code)
	code, _, _ = runCmd(t, "", "scan", "--fail-on", "none", dir, "-")
	assert.Equal(t, exitOK, code)
}

// --admit replays the manifests as new objects: Pods in an opted-out namespace get the opt-out, and
// the conflicts it removes are gone.
func TestScanAdmitAppliesTheOptOut(t *testing.T) {
	dir := writeTree(t, map[string]string{"all.yaml": `apiVersion: v1
kind: Namespace
metadata: {name: team, labels: {selmount.io/change-policy: Recursive}}
---
` + claimYAML + "---\n" + podAYAML + "---\n" + podBYAML})
	_, plain, _ := runCmd(t, "", "scan", "-o", "json", dir)
	_, admitted, errOut := runCmd(t, "", "scan", "--admit", "-o", "json", dir)
	assert.NotEqual(t, plain, admitted, errOut)
	assert.Contains(t, plain, `"rule": "SELINUX-004"`)
	assert.NotContains(t, admitted, `"rule": "SELINUX-004"`)
}
