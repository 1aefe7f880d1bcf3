package gatekeeper

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/selmount/selmount/e2e/cluster"
)

// Namespace is where the release runs Gatekeeper and where gatekeeper/base/sync.yaml puts its Config.
const Namespace = "gatekeeper-system"

// podName is the manager's POD_NAME: Gatekeeper names its per-Pod status objects after it and reads
// that Pod to own them.
const podName = "gatekeeper-e2e-0"

// managerReadyTimeout bounds the manager's start: informers for every synced kind, the webhook
// server, and on a loaded 2-core machine a few seconds of Rego compilation.
const managerReadyTimeout = 2 * time.Minute

// Manager is a running Gatekeeper manager process.
type Manager struct {
	WebhookPort int
	LogFile     string
}

// ManagerArgs are the release's flags for its two Deployments, merged into one process, with every
// listener on loopback and the certificate from certDir: webhook and mutation-webhook (the
// controller-manager Deployment), audit, status, mutation-status and generate (the audit
// Deployment; generate is what creates a constraint's CRD from its template). VAP generation keeps its
// 3.23 default (on): the templates opt out one by one (generateVAP: false), which the test checks.
// auditEvery is --audit-interval in seconds.
func ManagerArgs(kubeconfig, certDir, auditDir string, port, healthPort, auditEvery int) []string {
	return []string{
		// The release mounts an emptyDir at the default, /tmp/audit; audit fails without the folder.
		"--api-cache-dir=" + auditDir,
		"--kubeconfig=" + kubeconfig,
		fmt.Sprintf("--port=%d", port),
		"--host=127.0.0.1",
		fmt.Sprintf("--health-addr=127.0.0.1:%d", healthPort),
		"--metrics-addr=0",
		"--cert-dir=" + certDir,
		"--disable-cert-rotation",
		"--logtostderr",
		"--exempt-namespace=" + Namespace,
		"--operation=webhook", "--operation=mutation-webhook",
		"--operation=audit", "--operation=status", "--operation=mutation-status", "--operation=generate",
		"--disable-opa-builtin={http.send}",
		// The release audits every 60 s; the audit comparison waits for one audit per scenario.
		fmt.Sprintf("--audit-interval=%d", auditEvery),
		fmt.Sprintf("--constraint-violations-limit=%d", violationsLimit),
		// The release waits 10 s for its Pod's endpoints to drain; no Service points here.
		"--shutdown-delay=0",
	}
}

// StartManager runs bin with ManagerArgs until the test ends and waits for its /readyz.
func StartManager(t cluster.TB, bin, kubeconfig, certDir string, port, auditEvery int) *Manager {
	t.Helper()
	health := cluster.FreePort(t)
	m := &Manager{WebhookPort: port, LogFile: filepath.Join(t.TempDir(), "gatekeeper.log")}
	logf, err := os.Create(m.LogFile)
	if err != nil {
		t.Fatalf("%v", err)
	}
	cmd := exec.Command(bin, ManagerArgs(kubeconfig, certDir, t.TempDir(), port, health, auditEvery)...)
	cmd.Env = append(os.Environ(), "POD_NAMESPACE="+Namespace, "POD_NAME="+podName)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("gatekeeper: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	if err := waitHTTP(fmt.Sprintf("http://127.0.0.1:%d/readyz", health), exited); err != nil {
		t.Fatalf("gatekeeper: %v\n%s", err, cluster.Tail(m.LogFile, 30))
	}
	return m
}

// waitHTTP polls url until it answers 200, the process exits, or managerReadyTimeout passes.
func waitHTTP(url string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), managerReadyTimeout)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("exited before ready")
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s", managerReadyTimeout)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
