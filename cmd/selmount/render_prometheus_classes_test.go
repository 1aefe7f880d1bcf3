package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The metric made from the classes is the one made from the per-pair report, series for series, on
// every scenario and example.
func TestPrometheusFromClassesEqualsPairs(t *testing.T) {
	inputs, err := filepath.Glob("../../harness/scenarios/*/objects.yaml")
	require.NoError(t, err)
	inputs = append(inputs, examples, filepath.Join(examples, "cluster-dump.yaml"))
	series := 0
	for _, in := range inputs {
		code, want, errOut := runCmd(t, "", "scan", "--pairs", "--fail-on", "none", "-o", "prometheus", in)
		if code == exitUsage && strings.Contains(errOut, "duplicate object") {
			continue
		}
		_, got, _ := runCmd(t, "", "scan", "--fail-on", "none", "-o", "prometheus", in)
		assert.Equal(t, want, got, in)
		series += strings.Count(want, "\n") - 2
	}
	assert.Greater(t, series, 50, "the corpus has conflicts to compare")
}

// Past --max-series the metric is cut, and says so in a comment and on stderr; the exit code still
// follows the findings.
func TestPrometheusSeriesCap(t *testing.T) {
	in := sharedAcrossNamespaces(100)
	code, out, errOut := runCmd(t, in, "scan", "--max-series", "10", "-o", "prometheus", "-")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, 10, strings.Count(out, "\nselinux_warning_controller_selinux_volume_conflict{"))
	assert.Contains(t, out, "# selmount: truncated: 10 series printed of up to 9500 (--max-series 10)")
	assert.Contains(t, errOut, "warning: metric truncated")

	code, out, errOut = runCmd(t, in, "scan", "--max-series", "0", "-o", "prometheus", "-")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, 9500, strings.Count(out, "\nselinux_warning_controller_selinux_volume_conflict{"))
	assert.NotContains(t, out, "truncated")
	assert.Empty(t, errOut)
}
