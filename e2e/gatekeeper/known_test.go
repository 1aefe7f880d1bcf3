package gatekeeper

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadKnown(t *testing.T) {
	k, err := LoadKnown(filepath.Join("..", "..", "harness", "engines", "gatekeeper", "divergences.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(k) == 0 {
		t.Fatal("no divergence listed")
	}
	if k.Reason(k[0].Scenario, k[0].Pod) == "" || k.Reason(k[0].Scenario, "nowhere/none") != "" {
		t.Error("Reason does not match on scenario and Pod")
	}
}

func TestLoadKnownRefusesAnEntryWithoutReason(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.yaml")
	if err := os.WriteFile(path, []byte("- {scenario: s, pod: ns/p}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKnown(path); err == nil || !strings.Contains(err.Error(), "d.yaml") {
		t.Errorf("err = %v, want one naming the file", err)
	}
}
