package rego

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeRun introduces the README's conftest output on the shipped examples.
const readmeRun = "On the shipped examples (`conftest test --combine -p rego/ --no-color examples/manifests`"

// TestREADMEConftestOutput checks that the output the README quotes is conftest's, line for line. The
// lines are compared as a sorted set: conftest does not keep the order of one file's documents, so
// which of two Pods in one file is the later one, and gets SELINUX-006, changes between runs (the
// README says so); those lines are compared up to the object.
func TestREADMEConftestOutput(t *testing.T) {
	got := conftest(t, "examples/manifests")
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	quoted, ok := quotedBlockAfter(string(data), readmeRun)
	require.True(t, ok, "README.md: no fenced block after a line starting %s", readmeRun)
	require.Equal(t, sortedLines(quoted), sortedLines(string(got)), "README.md's conftest output is not conftest's: rerun the command it names and paste the output")
}

// quotedBlockAfter is the first fenced block after the line that starts with intro.
func quotedBlockAfter(doc, intro string) (string, bool) {
	_, rest, ok := strings.Cut(doc, "\n"+intro)
	if ok {
		_, rest, ok = strings.Cut(rest, "\n```\n")
	}
	if !ok {
		return "", false
	}
	block, _, ok := strings.Cut(rest, "\n```\n")
	return block, ok
}

// swapping is the finding whose object depends on conftest's order of one file's documents.
var swapping = regexp.MustCompile(`^(FAIL - Combined - main - SELINUX-006: )\S+ ([^/ ]+)/\S+ in (\S+): .*$`)

// sortedLines are s's lines, sorted, with swapping's object and message left out.
func sortedLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimRight(l, " "); l != "" {
			out = append(out, swapping.ReplaceAllString(l, "${1}(either object) ${2}/… in ${3}"))
		}
	}
	slices.Sort(out)
	return out
}
