package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrometheusClusterDump(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "-o", "prometheus", filepath.Join(examples, "cluster-dump.yaml"))
	require.Equal(t, exitFindings, code, "the exit code follows the findings in every format")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.GreaterOrEqual(t, len(lines), 3)
	assert.Equal(t, "# HELP selinux_warning_controller_selinux_volume_conflict [ALPHA] Conflict between two Pods using the same volume", lines[0])
	assert.Equal(t, "# TYPE selinux_warning_controller_selinux_volume_conflict gauge", lines[1])
	series := lines[2:]
	assert.Len(t, series, 6, "one series per directed conflict")
	for _, s := range series {
		assert.Regexp(t, `^selinux_warning_controller_selinux_volume_conflict\{property="[A-Za-z]+",pod1_namespace="[^"]*",pod1_name="[^"]*",pod1_value="[^"]*",pod2_namespace="[^"]*",pod2_name="[^"]*",pod2_value="[^"]*"\} 1$`, s)
	}
	// The metric, unlike the event, names the pod in the other namespace.
	assert.Contains(t, out, `pod1_namespace="audit",pod1_name="ledger-exporter-0"`)
}

func TestPrometheusNoConflicts(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "--allow-empty", "-o", "prometheus", "-")
	require.Equal(t, exitOK, code)
	assert.Equal(t, 2, strings.Count(out, "\n"), "header only: %q", out)
}
