// Package webhook registers `selmount webhook` with a real kube-apiserver, as webhook/ does in a
// cluster, and sends real Pod requests through it with kubectl: not ready and no Pod blocked while
// its cache is cold, the opt-out mutation, warnings, refusals in an enforcing namespace, answers
// that follow a change made while its watches were down, and Pods still admitted when it is down.
package webhook

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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

	// 0. A cold cache: the webhook reaches the API server through a partition that is cut, so it
	// cannot list. It must not be ready, and with its configurations registered (failurePolicy
	// Ignore) Pods are still admitted.
	part := newPartition(t, strings.TrimPrefix(s.URL, "https://"), false)
	wh := bundles.LaunchWebhook(t, selmount, part.kubeconfigThrough(t, s.Kubeconfig, s.URL))
	if _, err := wh.Register(k, root, dir); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if code := wh.Readyz(); code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz answered %d with the cache cold, want 503:\n%s", code, wh.Logs())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if out, code := apply(t, k, dir, "cold", pod("cold", "team", ""), "--dry-run=server"); code != 0 {
		t.Fatalf("a Pod was blocked while the webhook's cache was cold: %s", out)
	}
	part.restore()
	if err := wh.WaitReady(); err != nil {
		t.Fatalf("%v\n%s", err, wh.Logs())
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
		t.Fatalf("no Pod of the opted-out namespace got seLinuxChangePolicy Recursive:\n%s", wh.Logs())
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

	// 3b. The watches drop: the partition is cut, team starts enforcing meanwhile, the partition
	// comes back. The cache lists again and the webhook's answer follows: team/backup is refused.
	part.cut()
	if out, code := k.Run("label", "namespace", "team", "selmount.io/enforce=true"); code != 0 {
		t.Fatal(out)
	}
	time.Sleep(time.Second)
	part.restore()
	if !until(30*time.Second, func() bool {
		out, code := apply(t, k, dir, "team-backup-2", pod("backup", "team", ""), "--dry-run=server")
		refused = out
		return code != 0 && strings.Contains(out, `admission webhook "checks.selmount.io" denied the request`) &&
			strings.Contains(out, "SELINUX-006")
	}) {
		t.Fatalf("after the watches dropped and came back, team/backup was not refused: %s\n%s", refused, wh.Logs())
	}

	// 4. The webhook down: failurePolicy Ignore lets Pods through, unmutated.
	wh.Stop()
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
