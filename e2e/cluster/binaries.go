package cluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Binaries the tests run, built from k8s.io/kubernetes v1.37.2 as this module requires it.
const (
	KubeAPIServerPkg = "k8s.io/kubernetes/cmd/kube-apiserver"
	KubectlPkg       = "k8s.io/kubernetes/cmd/kubectl"
)

// buildTimeout bounds one cold build: kube-apiserver takes 10-20 min on a loaded 2-core machine.
const buildTimeout = 40 * time.Minute

// ModuleRoot is the e2e module's folder: the nearest parent of the working directory with a go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Binary returns bin/<name> under the module root, building pkg there first when it is missing
// (`make e2e` builds them beforehand, so that a stale binary is never used).
func Binary(t TB, name, pkg string) string {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatalf("%v", err)
	}
	path := filepath.Join(root, "bin", name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	t.Logf("building %s (cold: 10-20 min)", pkg)
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", path, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return path
}

// Selmount builds the selmount CLI from the repository root (the module above this one) into a
// temporary folder, as users build it, and returns its path and the repository root.
func Selmount(t TB) (bin, repo string) {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatalf("%v", err)
	}
	repo = filepath.Dir(root)
	bin = filepath.Join(t.TempDir(), "selmount")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/selmount")
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/selmount: %v\n%s", err, out)
	}
	return bin, repo
}
