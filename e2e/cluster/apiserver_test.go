package cluster

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestArgsStayOnLoopback(t *testing.T) {
	c := &Credentials{CertFile: "c", KeyFile: "k", SAKeyFile: "s", TokenFile: "t"}
	args := Args(6443, "http://127.0.0.1:2379", c, AuditFiles{PolicyFile: "p", LogFile: "l"}, Options{EmulatedVersion: "1.35", FeatureGates: []string{"A=true", "B=false"}})
	joined := strings.Join(args, " ")
	for _, want := range []string{"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=6443",
		"--authorization-mode=RBAC", "--emulated-version=1.35", "--feature-gates=A=true,B=false", "--etcd-servers=http://127.0.0.1:2379",
		"--audit-policy-file=p", "--audit-log-path=l", "--audit-log-format=json"} {
		if !strings.Contains(joined, want) {
			t.Errorf("flags lack %s: %s", want, joined)
		}
	}
	if strings.Contains(joined, "--runtime-config") {
		t.Errorf("empty runtime config still passed: %s", joined)
	}
}

// TestAPIServer starts etcd and a real kube-apiserver, and checks what every other test relies on:
// the admin token is authorised, an anonymous client is not, and the emulated version is reported.
func TestAPIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver")
	}
	bin := Binary(t, "kube-apiserver", KubeAPIServerPkg)
	s := StartAPIServer(t, bin, StartEtcd(t), Options{EmulatedVersion: "1.36"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	body, code, err := s.Get(ctx, "/version")
	if err != nil || code != http.StatusOK {
		t.Fatalf("/version: %d %v %s", code, err, body)
	}
	var v struct{ Major, Minor, EmulationMajor, EmulationMinor string }
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if v.Major+"."+v.Minor != "1.36" && v.EmulationMajor+"."+v.EmulationMinor != "1.36" {
		t.Errorf("/version does not show the emulated 1.36: %s", body)
	}
	if body, code, _ := s.Get(ctx, "/api/v1/namespaces/kube-system"); code != http.StatusOK {
		t.Errorf("admin cannot read kube-system: %d %s", code, body)
	}
	anon := &http.Client{Timeout: 10 * time.Second, Transport: mustTransport(t, s)}
	resp, err := anon.Get(s.URL + "/api/v1/namespaces")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous list of namespaces: %d, want 401 or 403 (RBAC)", resp.StatusCode)
	}
}

func mustTransport(t *testing.T, s *Server) http.RoundTripper {
	c, err := s.HTTPClient()
	if err != nil {
		t.Fatal(err)
	}
	return c.Transport.(bearer).next
}

// TestLowestEmulatedVersion measures the floor Versions' comment states: a v1.37 kube-apiserver
// emulates 1.34 (with the flags beta gives) and refuses 1.33 at start-up.
func TestLowestEmulatedVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver")
	}
	bin := Binary(t, "kube-apiserver", KubeAPIServerPkg)
	if _, err := Start(t, bin, StartEtcd(t), beta("1.34")); err != nil {
		t.Fatalf("--emulated-version=1.34 refused: %v", err)
	}
	below := "1.33"
	_, err := Start(t, bin, StartEtcd(t), Options{EmulatedVersion: below})
	if err == nil {
		t.Fatalf("--emulated-version=%s was accepted: add it to Versions", below)
	}
	if !strings.Contains(err.Error(), "exited before ready") || !strings.Contains(err.Error(), "emulat") {
		t.Errorf("refused for another reason than the emulated version: %v", err)
	}
}
