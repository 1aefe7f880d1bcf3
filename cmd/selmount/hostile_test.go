package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The reproducer: a newline or escape sequence in a name or volume handle reached the
// terminal raw, so a manifest could forge output lines or hide text. Text output escapes them.
func TestTextEscapesControlCharacters(t *testing.T) {
	in := `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv}
spec:
  accessModes: [ReadWriteMany]
  csi: {driver: d.example.com, volumeHandle: "h\nSummary: 0 findings, passes\u001b[2K"}
  claimRef: {namespace: team, name: data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: team}
spec: {volumeName: pv, accessModes: [ReadWriteMany]}
---
` + strings.Replace(podAYAML, "name: a\n", "name: \"a\\r\\tforged\"\n", 1) + "---\n" + podBYAML
	code, out, errOut := runCmd(t, in, "scan", "-")
	assert.Equal(t, exitFindings, code, errOut)
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\r")
	assert.NotContains(t, out, "\nSummary: 0 findings")
	assert.Contains(t, out, `h\nSummary: 0 findings, passes\x1b[2K`)
	assert.Contains(t, out, `a\r\tforged`)
	for _, line := range strings.Split(out, "\n") {
		assert.NotContains(t, line, "\t", "tabs come from the input only: %q", line)
	}
}

// Oversized input ends in exit 2 naming the file, never in an out-of-memory crash.
func TestScanRefusesOversizedInput(t *testing.T) {
	defer func(n int) { maxInputBytes = n }(maxInputBytes)
	maxInputBytes = 1 << 10
	code, _, errOut := runCmd(t, strings.Repeat("# padding\n", 200), "scan", "-")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "<stdin>: more than")
	dir := writeTree(t, map[string]string{"big.yaml": strings.Repeat("# padding\n", 200)})
	code, _, errOut = runCmd(t, "", "scan", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "big.yaml: more than")
}

// The alias bomb through the CLI: exit 2 naming file and document, in well under the 15 s
// it took before.
func TestScanRefusesAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(nsYAML + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, namespace: team}\ndata:\n  s: &s \"" + strings.Repeat("x", 100_000) + "\"\nitems:\n")
	for b.Len() < 1_000_000 {
		b.WriteString("- [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n")
	}
	dir := writeTree(t, map[string]string{"bomb.yaml": b.String()})
	code, _, errOut := runCmd(t, "", "scan", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "bomb.yaml: document 2: YAML aliases expand the document by more than 1.0 MiB")
}

// A malformed file in a folder is reported and the scan goes on, but the limits stay fatal: a typo
// sorted first must not turn the alias bomb or oversized file after it into a diagnostic.
func TestScanLimitsStayFatalNextToMalformedFiles(t *testing.T) {
	defer func(n int) { maxInputBytes = n }(maxInputBytes)
	maxInputBytes = 1 << 20
	var bomb strings.Builder
	bomb.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, namespace: team}\ndata:\n  s: &s \"" + strings.Repeat("x", 1000) + "\"\nitems:\n")
	for bomb.Len() < 100_000 {
		bomb.WriteString("- [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n")
	}
	typo := "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n"
	for _, tc := range []struct{ name, file, content, stderr string }{
		{"alias bomb", "b-bomb.yaml", bomb.String(), "b-bomb.yaml: document 1: YAML aliases expand the document by more than 1.0 MiB"},
		{"oversized file", "b-big.yaml", strings.Repeat("# padding\n", 110_000), "b-big.yaml: more than 1 MiB of input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"a-typo.yaml": typo, tc.file: tc.content, "c-ns.yaml": nsYAML})
			code, out, errOut := runCmd(t, "", "scan", "--fail-on", "none", dir)
			assert.Equal(t, exitUsage, code, out)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}
