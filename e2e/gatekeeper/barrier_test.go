package gatekeeper

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSyncedReadsTheBundleConfig(t *testing.T) {
	b, err := LoadSynced(filepath.Join("..", "..", "gatekeeper", "base", "sync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, k := range b.Kinds {
		kinds[k.Kind] = true
	}
	for _, k := range []string{"Pod", "PersistentVolumeClaim", "PersistentVolume", "Namespace", "Deployment", "CSIDriver", "StorageClass"} {
		if !kinds[k] {
			t.Errorf("%s not among the synced kinds %v", k, b.Kinds)
		}
	}
}

func TestLoadSyncedRefusesAnEmptyConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sync.yaml")
	if err := os.WriteFile(path, []byte("kind: Config\nspec: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSynced(path); err == nil || !strings.Contains(err.Error(), "sync.yaml") {
		t.Errorf("err = %v, want one naming the file", err)
	}
}

func TestSyncMessage(t *testing.T) {
	for text, want := range map[string]string{"[selmount-e2e-barrier] SYNC 0": "0", "[selmount-e2e-barrier] SYNC 12": "12"} {
		if m := syncMessage.FindStringSubmatch(text); m == nil || m[1] != want {
			t.Errorf("%q: %v", text, m)
		}
	}
	if syncMessage.MatchString("[other] SYNC 0") {
		t.Error("another constraint's message read as the barrier's")
	}
}
