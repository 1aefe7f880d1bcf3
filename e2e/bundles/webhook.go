package bundles

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/selmount/selmount/e2e/cluster"
)

// WebhookName is the validating webhook of webhook/base/webhooks.yaml: the API server keys the
// webhook's audit annotations with it.
const WebhookName = "checks.selmount.io"

// webhookReadyTimeout bounds the wait for the webhook's cache to list the cluster.
const webhookReadyTimeout = 30 * time.Second

// Webhook is a running `selmount webhook` on loopback, caching the cluster of a kubeconfig.
type Webhook struct {
	Addr   string // "127.0.0.1:port"
	CAFile string // its self-signed serving certificate, which is its own CA bundle

	cmd     *exec.Cmd
	logs    *lockedBuffer
	stopped bool
}

// lockedBuffer is the webhook's output, written by the process while a test may read it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// StartWebhook starts bin as `selmount webhook` with extra flags (--profile, --deny), waits until
// /readyz answers (the cache has listed the cluster) and stops it when the test ends.
func StartWebhook(t cluster.TB, bin, kubeconfig string, extra ...string) *Webhook {
	t.Helper()
	w := LaunchWebhook(t, bin, kubeconfig, extra...)
	if err := w.WaitReady(); err != nil {
		t.Fatalf("%v\n%s", err, w.Logs())
	}
	return w
}

// LaunchWebhook is StartWebhook without the wait: the webhook serves at once, ready or not.
func LaunchWebhook(t cluster.TB, bin, kubeconfig string, extra ...string) *Webhook {
	t.Helper()
	serving, err := cluster.WriteCredentials(t.TempDir())
	if err != nil {
		t.Fatalf("webhook certificate: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("%v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	w := &Webhook{Addr: addr, CAFile: serving.CertFile, logs: &lockedBuffer{}}
	args := append([]string{"webhook", "--listen", addr, "--tls-cert-file", serving.CertFile,
		"--tls-private-key-file", serving.KeyFile, "--kubeconfig", kubeconfig}, extra...)
	w.cmd = exec.Command(bin, args...)
	w.cmd.Stdout, w.cmd.Stderr = w.logs, w.logs
	if err := w.cmd.Start(); err != nil {
		t.Fatalf("selmount webhook: %v", err)
	}
	t.Cleanup(w.Stop)
	return w
}

// Logs are what the webhook wrote so far.
func (w *Webhook) Logs() string { return w.logs.String() }

// Stop ends the webhook (SIGTERM, then its drain) once.
func (w *Webhook) Stop() {
	if w.stopped {
		return
	}
	w.stopped = true
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	_ = w.cmd.Wait()
}

// Client trusts the webhook's certificate.
func (w *Webhook) Client() (*http.Client, error) {
	ca, err := os.ReadFile(w.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("%s: no certificate", w.CAFile)
	}
	return &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}

// Readyz is the status code of /readyz, 0 when the webhook does not answer.
func (w *Webhook) Readyz() int {
	client, err := w.Client()
	if err != nil {
		return 0
	}
	resp, err := client.Get("https://" + w.Addr + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// WaitReady waits, at most webhookReadyTimeout, until /readyz answers 200.
func (w *Webhook) WaitReady() error {
	for deadline := time.Now().Add(webhookReadyTimeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if w.Readyz() == http.StatusOK {
			return nil
		}
	}
	return fmt.Errorf("selmount webhook on %s not ready after %s", w.Addr, webhookReadyTimeout)
}

// Configurations are the shipped webhook configurations (webhook/base/webhooks.yaml) pointed at w
// by url, as the API server then calls it on loopback, instead of at the in-cluster Service.
func (w *Webhook) Configurations(root string) (string, error) {
	config, err := os.ReadFile(filepath.Join(root, "webhook", "base", "webhooks.yaml"))
	if err != nil {
		return "", err
	}
	ca, err := os.ReadFile(w.CAFile)
	if err != nil {
		return "", err
	}
	bundle := base64.StdEncoding.EncodeToString(ca)
	out := string(config)
	for _, path := range []string{"mutate", "validate"} {
		out = strings.Replace(out, "service: {name: selmount-webhook, namespace: selmount-system, path: /"+path+"}",
			fmt.Sprintf("url: https://%s/%s\n    caBundle: %s", w.Addr, path, bundle), 1)
	}
	if strings.Contains(out, "service:") {
		return "", errors.New("webhook/base/webhooks.yaml changed shape: its service references could not be replaced by the local url")
	}
	return out, nil
}

// Register creates w's webhook configurations on the server k reaches; the returned manifest
// removes them (Unregister).
func (w *Webhook) Register(k Kubectl, root, dir string) (string, error) {
	config, err := w.Configurations(root)
	if err != nil {
		return "", err
	}
	f := filepath.Join(dir, "selmount-webhooks.yaml")
	if err := os.WriteFile(f, []byte(config), 0o600); err != nil {
		return "", err
	}
	if out, code := k.Run("create", "-f", f); code != 0 {
		return "", fmt.Errorf("kubectl create -f %s: exit %d: %s", f, code, out)
	}
	return f, nil
}

// Unregister deletes the configurations Register created.
func Unregister(k Kubectl, manifest string) error {
	return Uninstall(k, manifest)
}
