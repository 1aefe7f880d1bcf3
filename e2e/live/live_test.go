// Package live checks `selmount scan --cluster` against a real kube-apiserver: a user bound to
// kubectl-plugin/rbac.yaml alone can scan, one without it gets a clear refusal, and the scan of the
// live cluster equals the scan of `kubectl get … -A -o json` of it.
package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
)

// run runs a command and returns its stdout, stderr and exit code.
func run(t *testing.T, dir string, name string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0
	case errors.As(err, &ee):
		return out.String(), errOut.String(), ee.ExitCode()
	}
	t.Fatalf("%s: %v", name, err)
	return "", "", -1
}

func TestScanClusterWithItsClusterRole(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver")
	}
	selmount, root := cluster.Selmount(t)
	apiserver := cluster.Binary(t, "kube-apiserver", cluster.KubeAPIServerPkg)
	k := bundles.Kubectl{Bin: cluster.Binary(t, "kubectl", cluster.KubectlPkg)}
	dir := t.TempDir()
	v137, ok := cluster.VersionNamed("1.37")
	if !ok {
		t.Fatal("no 1.37 server")
	}
	s := cluster.StartAPIServer(t, apiserver, cluster.StartEtcd(t), v137.Options)
	k.Kubeconfig = s.Kubeconfig
	scanner, err := s.WriteKubeconfig(filepath.Join(dir, "scanner.kubeconfig"), s.Creds.ScannerToken)
	if err != nil {
		t.Fatal(err)
	}
	// The dump lists Namespaces after the objects in them, as kubectl get does: the first apply
	// creates the Namespaces, the second what goes in them.
	for i := 0; ; i++ {
		out, code := k.Run("apply", "-f", filepath.Join(root, "examples", "cluster-dump.yaml"))
		if code == 0 {
			break
		}
		if i == 1 {
			t.Fatalf("kubectl apply of the example dump: %s", out)
		}
	}

	if n, err := k.BindClaims(); err != nil || n == 0 {
		t.Fatalf("binding the example dump's claims: %d bound, %v", n, err)
	}

	// Without the ClusterRole: a refusal naming the cluster and the kind, exit 2, nothing on stdout.
	out, errOut, code := run(t, dir, selmount, "scan", "--kubeconfig", scanner)
	if code != 2 || out != "" || !bytes.Contains([]byte(errOut), []byte("<cluster e2e>: list Namespaces: 403 Forbidden")) {
		t.Fatalf("scan without RBAC: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	if out, code := k.Run("apply", "-f", filepath.Join(root, "kubectl-plugin", "rbac.yaml")); code != 0 {
		t.Fatalf("kubectl apply rbac.yaml: %s", out)
	}
	if out, code := k.Run("create", "clusterrolebinding", "selmount-scan", "--clusterrole=selmount-scan", "--user="+cluster.ScannerUser); code != 0 {
		t.Fatalf("kubectl create clusterrolebinding: %s", out)
	}
	liveJSON, errOut, liveCode := run(t, dir, selmount, "scan", "--kubeconfig", scanner, "-o", "json")
	if liveCode != 0 && liveCode != 1 {
		t.Fatalf("scan with the ClusterRole: exit %d: %s", liveCode, errOut)
	}

	dump, code := k.Run("get", "namespaces,pods,persistentvolumeclaims,persistentvolumes,storageclasses,csidrivers", "-A", "-o", "json")
	if code != 0 {
		t.Fatalf("kubectl get: %s", dump)
	}
	dumpFile := filepath.Join(dir, "dump.json")
	if err := os.WriteFile(dumpFile, []byte(dump), 0o600); err != nil {
		t.Fatal(err)
	}
	dumpJSON, errOut, dumpCode := run(t, dir, selmount, "scan", "-o", "json", dumpFile)
	if dumpCode != liveCode {
		t.Fatalf("exit %d from the cluster, %d from its dump: %s", liveCode, dumpCode, errOut)
	}
	var a, b map[string]json.RawMessage
	if err := json.Unmarshal([]byte(liveJSON), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(dumpJSON), &b); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"groups", "findings"} {
		if !bytes.Equal(a[key], b[key]) {
			t.Errorf("%s differ between the cluster and its dump:\n%s\n%s", key, a[key], b[key])
		}
	}
	if string(a["groups"]) == "[]" {
		t.Error("the example dump gives conflicts; the live scan found none")
	}
}
