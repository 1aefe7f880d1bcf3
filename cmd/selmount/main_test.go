package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// examples is the shipped example cluster, relative to this package.
const examples = "../../examples"

// runCmd runs the CLI in-process and fails the test on a recovered panic, which run turns into
// exit 2 for users but is always a bug.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	if strings.Contains(errOut.String(), "internal error") {
		t.Fatalf("selmount %s panicked:\n%s", strings.Join(args, " "), errOut.String())
	}
	return code, out.String(), errOut.String()
}

func TestRunDispatch(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{name: "no command", args: nil, code: exitUsage, stderr: "Usage:"},
		{name: "unknown command", args: []string{"lint"}, code: exitUsage, stderr: `unknown command "lint"`},
		{name: "help", args: []string{"help"}, code: exitOK, stdout: "selmount scan"},
		{name: "version", args: []string{"version"}, code: exitOK, stdout: "selmount "},
		{name: "rules", args: []string{"rules"}, code: exitOK, stdout: "SELINUX-006"},
		{name: "scan without path", args: []string{"scan"}, code: exitUsage, stderr: "no PATH given"},
		{name: "scan help", args: []string{"scan", "-h"}, code: exitOK, stderr: "-fail-on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "", tc.args...)
			assert.Equal(t, tc.code, code, "stderr: %s", errOut)
			assert.Contains(t, out, tc.stdout)
			assert.Contains(t, errOut, tc.stderr)
		})
	}
}
