package harness

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReconcile(t *testing.T) {
	diffs := []Difference{
		{Scenario: "a", Mode: "audit", Rule: "SELINUX-003", Pod: "ns/p", Field: "finding"},
		{Scenario: "b", Mode: "audit", Rule: "SELINUX-005", Pod: "ns/q", Field: "finding"},
	}
	listed := []Divergence{
		{Scenario: "a", Mode: "audit", Rule: "SELINUX-003", Pod: "ns/p", Field: "finding", Reason: "r"},
		{Scenario: "c", Mode: "audit", Rule: "SELINUX-003", Pod: "ns/x", Field: "finding", Reason: "gone"},
		{Scenario: "z", Mode: "audit", Rule: "SELINUX-003", Pod: "ns/x", Field: "finding", Reason: "not run"},
	}
	unexpected, vanished := Reconcile(diffs, listed, map[string]bool{"a": true, "b": true, "c": true})
	require.Equal(t, []Difference{diffs[1]}, unexpected)
	require.Equal(t, []Divergence{listed[1]}, vanished, "a listed divergence of a replayed scenario that did not happen")
}

func TestLoadDivergencesNeedsReasons(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "d.yaml")
	require.NoError(t, os.WriteFile(p, []byte("- {scenario: a, mode: audit, rule: SELINUX-003, pod: ns/p, field: finding}\n"), 0o644))
	_, err := LoadDivergences(p)
	require.ErrorContains(t, err, "needs scenario, rule and reason")
	require.NoError(t, os.WriteFile(p, []byte("- {scenario: a, rule: SELINUX-003, reason: why, extra: 1}\n"), 0o644))
	_, err = LoadDivergences(p)
	require.Error(t, err, "unknown keys are rejected")
}
