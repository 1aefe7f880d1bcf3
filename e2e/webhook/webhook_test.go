// Package webhook registers `selmount webhook` with a real kube-apiserver, as webhook/ does in a
// cluster, and sends real Pod requests through it with kubectl: the opt-out mutation, warnings,
// refusals in an enforcing namespace, and Pods still admitted when the webhook is down.
package webhook

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
)

const objects = `apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {selmount.io/change-policy: Recursive}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {selmount.io/enforce: "true"}}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: nfs.csi.example.com}
spec: {seLinuxMount: true}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: shop-data}
spec: {accessModes: [ReadWriteMany], capacity: {storage: 1Gi}, csi: {driver: nfs.csi.example.com, volumeHandle: shop}}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: team-data}
spec: {accessModes: [ReadWriteMany], capacity: {storage: 1Gi}, csi: {driver: nfs.csi.example.com, volumeHandle: team}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec: {accessModes: [ReadWriteMany], volumeName: shop-data, storageClassName: "", resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: team}
spec: {accessModes: [ReadWriteMany], volumeName: team-data, storageClassName: "", resources: {requests: {storage: 1Gi}}}
`

// pod is a Pod on claim data; level "" leaves it without seLinuxOptions.
func pod(name, namespace, level string) string {
	sc := "{}"
	if level != "" {
		sc = `{seLinuxOptions: {level: "` + level + `"}}`
	}
	return fmt.Sprintf(`apiVersion: v1
kind: Pod
metadata: {name: %s, namespace: %s}
spec:
  securityContext: %s
  containers: [{name: c, image: registry.example/app:1, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
`, name, namespace, sc)
}

func apply(t *testing.T, k bundles.Kubectl, dir, name, yaml string, extra ...string) (string, int) {
	t.Helper()
	f := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(f, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return k.Run(append([]string{"create", "-f", f}, extra...)...)
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// until retries f every 200 ms for at most limit.
func until(limit time.Duration, f func() bool) bool {
	for deadline := time.Now().Add(limit); ; time.Sleep(200 * time.Millisecond) {
		if f() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func TestWebhookOnARealAPIServer(t *testing.T) {
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
	opts := v137.Options
	s := cluster.StartAPIServer(t, apiserver, cluster.StartEtcd(t), opts)
	k.Kubeconfig = s.Kubeconfig
	if out, code := apply(t, k, dir, "objects", objects); code != 0 {
		t.Fatalf("kubectl create: %s", out)
	}
	if n, err := k.BindClaims(); err != nil || n != 2 {
		t.Fatalf("binding the claims: %d bound, %v", n, err)
	}

	// The webhook's serving certificate: a self-signed one for 127.0.0.1, which is its own CA bundle.
	serving, err := cluster.WriteCredentials(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var logs bytes.Buffer
	wh := exec.Command(selmount, "webhook", "--listen", addr, "--tls-cert-file", serving.CertFile,
		"--tls-private-key-file", serving.KeyFile, "--kubeconfig", s.Kubeconfig)
	wh.Stdout, wh.Stderr = &logs, &logs
	if err := wh.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = wh.Process.Signal(syscall.SIGTERM)
			_ = wh.Wait()
		}
	}
	defer stop()
	ca, err := os.ReadFile(serving.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if !until(20*time.Second, func() bool {
		resp, err := client.Get("https://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}) {
		t.Fatalf("webhook not ready after 20 s:\n%s", logs.String())
	}

	// The shipped webhook configurations, pointed at the local server instead of the Service.
	config, err := os.ReadFile(filepath.Join(root, "webhook", "base", "webhooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bundle := base64.StdEncoding.EncodeToString(ca)
	registered := string(config)
	for _, path := range []string{"mutate", "validate"} {
		registered = strings.Replace(registered, "service: {name: selmount-webhook, namespace: selmount-system, path: /"+path+"}",
			fmt.Sprintf("url: https://%s/%s\n    caBundle: %s", addr, path, bundle), 1)
	}
	if strings.Contains(registered, "service:") {
		t.Fatal("webhook/base/webhooks.yaml changed shape: the test could not point it at the local server")
	}
	if out, code := apply(t, k, dir, "webhooks", registered); code != 0 {
		t.Fatalf("kubectl create webhooks: %s", out)
	}

	// 1. The opt-out: a Pod created in an opted-out namespace gets Recursive. The API server may
	// take a moment to use a new webhook configuration: retried on fresh Pods, bounded.
	i := 0
	policyOf := func(ns, name string) string {
		out, _ := k.Run("get", "pod", "-n", ns, name, "-o", "jsonpath={.spec.securityContext.seLinuxChangePolicy}")
		return strings.TrimSpace(out)
	}
	if !until(20*time.Second, func() bool {
		i++
		name := fmt.Sprintf("app-%d", i)
		if out, code := apply(t, k, dir, name, pod(name, "legacy", "")); code != 0 {
			t.Fatalf("create %s: %s", name, out)
		}
		return policyOf("legacy", name) == "Recursive"
	}) {
		t.Fatalf("no Pod of the opted-out namespace got seLinuxChangePolicy Recursive:\n%s", logs.String())
	}

	// 2. Warnings: in team, backup joins app on the volume with another label.
	if out, code := apply(t, k, dir, "team-app", pod("app", "team", "s0:c1,c2")); code != 0 {
		t.Fatal(out)
	}
	var warned string
	if !until(20*time.Second, func() bool {
		out, code := apply(t, k, dir, "team-backup", pod("backup", "team", ""), "--dry-run=server")
		warned = out
		return code == 0 && strings.Contains(out, "SELINUX-006: backup stays in ContainerCreating")
	}) {
		t.Fatalf("no SELINUX-006 warning for team/backup: %s", warned)
	}
	// 3. Refusal where the namespace enforces.
	if out, code := apply(t, k, dir, "shop-app", pod("app", "shop", "s0:c1,c2")); code != 0 {
		t.Fatal(out)
	}
	var refused string
	if !until(20*time.Second, func() bool {
		out, code := apply(t, k, dir, "shop-backup", pod("backup", "shop", ""), "--dry-run=server")
		refused = out
		return code != 0 && strings.Contains(out, `admission webhook "checks.selmount.io" denied the request`) &&
			strings.Contains(out, "SELINUX-006")
	}) {
		t.Fatalf("shop/backup was not refused: %s", refused)
	}

	// 4. The webhook down: failurePolicy Ignore lets Pods through, unmutated.
	stop()
	start := time.Now()
	if out, code := apply(t, k, dir, "after", pod("after-stop", "legacy", "")); code != 0 {
		t.Fatalf("a Pod was blocked with the webhook down: %s", out)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("creating a Pod with the webhook down took %s", took)
	}
	if p := policyOf("legacy", "after-stop"); p != "" {
		t.Errorf("with the webhook down the Pod still got %q", p)
	}
}
