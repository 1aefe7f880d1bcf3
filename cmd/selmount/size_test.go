package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxBinaryBytes keeps the scanner small enough to curl into a CI job or an init container.
const maxBinaryBytes = 40 << 20

// The scan path must not link a policy engine: selmount's model is its own, and the engines'
// dependency trees would multiply the binary's size and attack surface.
var forbiddenDeps = []string{"open-policy-agent", "kyverno", "gatekeeper"}

func goTool(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the release binary")
	}
	path, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	return path
}

func TestReleaseBinarySize(t *testing.T) {
	gobin := goTool(t)
	out := filepath.Join(t.TempDir(), "selmount")
	cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", out, ".")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("release binary: %.1f MiB", float64(info.Size())/(1<<20))
	if info.Size() >= maxBinaryBytes {
		t.Errorf("release binary is %d bytes, want < %d", info.Size(), maxBinaryBytes)
	}
}

func TestNoPolicyEngineDependency(t *testing.T) {
	gobin := goTool(t)
	msg, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, msg)
	}
	for _, pkg := range strings.Fields(string(msg)) {
		for _, bad := range forbiddenDeps {
			if strings.Contains(pkg, bad) {
				t.Errorf("selmount links %s", pkg)
			}
		}
		// Of this module, only the command, the reference model, the kustomize wrapper, the cluster
		// reader and the webhook belong in the binary (no harness, no engine).
		if rest, ok := strings.CutPrefix(pkg, "github.com/selmount/selmount/"); ok &&
			rest != "cmd/selmount" && rest != "internal/kustomize" && rest != "internal/live" && rest != "internal/webhook" && rest != "policies" && !strings.HasPrefix(rest, "policies/") {
			t.Errorf("selmount links %s", pkg)
		}
	}
}
