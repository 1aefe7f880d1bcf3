package cluster

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Options choose how the kube-apiserver runs.
type Options struct {
	// EmulatedVersion is passed as --emulated-version ("1.35"); empty runs the binary's own version.
	EmulatedVersion string
	FeatureGates    []string // "Name=true"
	RuntimeConfig   []string // "group/version=true"
	ExtraArgs       []string
}

// Server is a running kube-apiserver.
type Server struct {
	URL        string // https://127.0.0.1:<port>
	Creds      *Credentials
	Kubeconfig string // a kubeconfig for the admin, for kubectl
	LogFile    string
	AuditLog   string // the JSON audit log of Pod writes (see auditPolicy)
}

// readyTimeout bounds the wait for /readyz: a cold start on a loaded 2-core machine takes 10-40 s,
// most of it installing the built-in API groups and their post-start hooks.
const readyTimeout = 3 * time.Minute

// StartAPIServer runs the kube-apiserver binary at bin against etcd on loopback, with RBAC, a static
// admin token and a service-account issuer. No controller manager, scheduler or kubelet runs: Pods
// stay Pending, which is all admission needs. The process group is killed when the test ends.
func StartAPIServer(t TB, bin, etcdURL string, o Options) *Server {
	t.Helper()
	s, err := Start(t, bin, etcdURL, o)
	if err != nil {
		t.Fatalf("kube-apiserver %s: %v", o.EmulatedVersion, err)
	}
	return s
}

// Start is StartAPIServer returning the failure (with the log's tail) instead of failing the test.
func Start(t TB, bin, etcdURL string, o Options) (*Server, error) {
	dir := t.TempDir()
	creds, err := WriteCredentials(dir)
	if err != nil {
		return nil, err
	}
	audit, err := WriteAuditPolicy(dir)
	if err != nil {
		return nil, err
	}
	port := FreePort(t)
	s := &Server{URL: fmt.Sprintf("https://127.0.0.1:%d", port), Creds: creds, LogFile: filepath.Join(dir, "kube-apiserver.log"), AuditLog: audit.LogFile}
	logf, err := os.Create(s.LogFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, Args(port, etcdURL, creds, audit, o)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so that cleanup kills it and anything it might spawn.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	// exited is closed (never sent on) when the process ends, so that both the readiness wait and
	// the cleanup can observe it.
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	if err := s.waitReady(exited, &waitErr); err != nil {
		return nil, fmt.Errorf("%v\n%s", err, Tail(s.LogFile, 40))
	}
	if s.Kubeconfig, err = s.writeKubeconfig(dir); err != nil {
		return nil, err
	}
	return s, nil
}

// Args are the kube-apiserver flags; every listener and every advertised address is loopback.
func Args(port int, etcdURL string, c *Credentials, audit AuditFiles, o Options) []string {
	args := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		// The endpoint reconciler refuses a loopback advertise address; nothing needs the
		// kubernetes Service's endpoints here.
		"--endpoint-reconciler-type=none",
		fmt.Sprintf("--secure-port=%d", port),
		"--tls-cert-file=" + c.CertFile,
		"--tls-private-key-file=" + c.KeyFile,
		"--token-auth-file=" + c.TokenFile,
		"--authorization-mode=RBAC",
		"--service-account-key-file=" + c.SAKeyFile,
		"--service-account-signing-key-file=" + c.SAKeyFile,
		"--service-account-issuer=https://127.0.0.1",
		// Allocated from only; nothing is sent to this range.
		"--service-cluster-ip-range=10.0.0.0/24",
		// Scenarios have privileged containers, which most clusters' API servers admit.
		"--allow-privileged=true",
		// No controller manager creates the default ServiceAccount (the plugin would refuse every
		// Pod), and its token volume would add a volume the scenarios do not have. No controller
		// removes the PVC/PV protection finalizers either, so cleanup could not delete claims.
		"--disable-admission-plugins=ServiceAccount,StorageObjectInUseProtection",
		"--profiling=false",
		// The validating policy plugin says at V(2) why it replaced a policy's message with "failed
		// expression: ..." (longer than 5 KiB, multi-line, or a messageExpression error); nothing else
		// logs it, and the bad-input report quotes it.
		"--vmodule=validator=2",
	}
	args = append(args, audit.Args()...)
	return append(args, o.Args()...)
}

// Args are the flags that make the server the version o describes.
func (o Options) Args() []string {
	var args []string
	if o.EmulatedVersion != "" {
		args = append(args, "--emulated-version="+o.EmulatedVersion)
	}
	if len(o.FeatureGates) > 0 {
		args = append(args, "--feature-gates="+strings.Join(o.FeatureGates, ","))
	}
	if len(o.RuntimeConfig) > 0 {
		args = append(args, "--runtime-config="+strings.Join(o.RuntimeConfig, ","))
	}
	return append(args, o.ExtraArgs...)
}

// HTTPClient trusts the server's certificate and sends the admin token.
func (s *Server) HTTPClient() (*http.Client, error) {
	pemData, err := os.ReadFile(s.Creds.CertFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, errors.New("no certificate in " + s.Creds.CertFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	return &http.Client{Timeout: 10 * time.Second, Transport: bearer{s.Creds.Token, tr}}, nil
}

type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// Get returns the body of an authenticated GET of path.
func (s *Server) Get(ctx context.Context, path string) ([]byte, int, error) {
	c, err := s.HTTPClient()
	if err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return body, resp.StatusCode, err
}

// waitReady polls /readyz until it answers 200, the process exits, or readyTimeout passes.
func (s *Server) waitReady(exited <-chan struct{}, waitErr *error) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	var last string
	for {
		body, code, err := s.Get(ctx, "/readyz")
		if err == nil && code == http.StatusOK {
			return nil
		}
		last = fmt.Sprintf("%d %v %s", code, err, bytes.TrimSpace(body))
		select {
		case <-exited:
			return fmt.Errorf("exited before ready: %v", *waitErr)
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s (last: %s)", readyTimeout, last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (s *Server) writeKubeconfig(dir string) (string, error) {
	return s.WriteKubeconfig(filepath.Join(dir, "kubeconfig"), s.Creds.Token)
}

// WriteKubeconfig writes a kubeconfig for the user of token (the admin's or ScannerToken) to path.
func (s *Server) WriteKubeconfig(path, token string) (string, error) {
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: admin
  user:
    token: %s
contexts:
- name: e2e
  context: {cluster: e2e, user: admin}
current-context: e2e
`, s.URL, s.Creds.CertFile, token)
	return path, os.WriteFile(path, []byte(cfg), 0o600)
}
