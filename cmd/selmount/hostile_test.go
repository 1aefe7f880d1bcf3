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
