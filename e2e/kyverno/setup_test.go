package kyverno

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
	"github.com/selmount/selmount/e2e/replay"
)

// env is one API server with Kyverno's release installed and its admission controller running.
type env struct {
	root       string // the repository
	server     *cluster.Server
	kubectl    bundles.Kubectl
	clients    *replay.Clients
	controller *Controller
	kyverno    string // the controller binary
	lookups    *LookupDelay
}

// viaProxy points the kubeconfig at path to proxy instead of server.
func viaProxy(path, server, proxy string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out := strings.Replace(string(data), "server: "+server+"\n", "server: "+proxy+"\n", 1)
	if out == string(data) {
		return fmt.Errorf("%s: no server %s", path, server)
	}
	return os.WriteFile(path, []byte(out), 0o600)
}

// binary returns e2e/bin/<name>, or skips: these binaries come from `make e2e-kyverno-binaries`.
func binary(t testing.TB, name string) string {
	t.Helper()
	mod, err := cluster.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(mod, "bin", name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is missing: run `make e2e-kyverno-binaries` (Kyverno v1.19.1 from harness/engines) first", path)
	}
	return path
}

// start brings up etcd and the 1.37 API server (startVia: another), installs Kyverno's release objects and runs its
// admission controller as its ServiceAccount. Everything stops when the test ends.
func start(t testing.TB, extraFlags ...string) *env {
	t.Helper()
	return startVia(t, "1.37", 0, extraFlags...)
}

// startVia is start on a server of version with the controller talking to the API server through a
// LookupDelay of delay (e.lookups) when delay is not zero.
func startVia(t testing.TB, version string, delay time.Duration, extraFlags ...string) *env {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a kube-apiserver and Kyverno's admission controller")
	}
	e := &env{kyverno: binary(t, "kyverno")}
	apiserver, kubectl := binary(t, "kube-apiserver"), binary(t, "kubectl")
	mod, err := cluster.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	e.root = filepath.Dir(mod)
	v, ok := cluster.VersionNamed(version)
	if !ok {
		t.Fatalf("no server version %s", version)
	}
	e.server = cluster.StartAPIServer(t, apiserver, cluster.StartEtcd(t), v.Options)
	e.kubectl = bundles.Kubectl{Bin: kubectl, Kubeconfig: e.server.Kubeconfig}
	if e.clients, err = replay.NewClients(e.server.URL, e.server.Creds.CertFile, e.server.Creds.Token); err != nil {
		t.Fatal(err)
	}
	rel, err := Release.Release(e.root)
	if err != nil {
		t.Fatal(err)
	}
	manifest, crds, err := Release.Manifest(rel, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if in := bundles.Install(e.kubectl, Release, rel, v.Name, manifest, crds); !in.OK() {
		t.Fatalf("Kyverno %s release objects: %+v", rel.Version, in)
	}
	if _, err := Aggregate(context.Background(), e.clients.Typed); err != nil {
		t.Fatal(err)
	}
	aggCtx, stop := context.WithCancel(context.Background())
	aggDone := Aggregator(aggCtx, e.clients.Typed)
	t.Cleanup(func() {
		stop()
		if err := <-aggDone; err != nil {
			t.Errorf("ClusterRole aggregation: %v", err)
		}
	})
	kubeconfig := filepath.Join(t.TempDir(), "kyverno-admission-controller.kubeconfig")
	if err := e.kubectl.ServiceAccountKubeconfig(e.server, Namespace, AdmissionServiceAccount, kubeconfig); err != nil {
		t.Fatal(err)
	}
	if delay != 0 {
		if e.lookups, err = StartLookupDelay(t, e.server, delay); err != nil {
			t.Fatal(err)
		}
		if err := viaProxy(kubeconfig, e.server.URL, e.lookups.URL); err != nil {
			t.Fatal(err)
		}
	}
	if e.controller, err = StartController(t, e.kyverno, kubeconfig, extraFlags...); err != nil {
		t.Fatal(err)
	}
	return e
}

// startReports runs the reports controller as its ServiceAccount until the test ends.
func (e *env) startReports(t testing.TB) *Controller {
	t.Helper()
	bin := binary(t, "kyverno-reports-controller")
	kubeconfig := filepath.Join(t.TempDir(), "kyverno-reports-controller.kubeconfig")
	if err := e.kubectl.ServiceAccountKubeconfig(e.server, Namespace, ReportsServiceAccount, kubeconfig); err != nil {
		t.Fatal(err)
	}
	c, err := StartReportsController(t, bin, kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("reports controller log tail:\n%s", cluster.Tail(c.LogFile, 40))
		}
	})
	return c
}

// waitServing waits, bounded by startupTimeout, until the controller serves bundle's webhooks.
func (e *env) waitServing(t testing.TB, bundle string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	if err := WaitServing(ctx, e.kubectl, e.root, bundle, e.clients.Typed, e.controller); err != nil {
		t.Fatalf("%v\n%s", err, cluster.Tail(e.controller.LogFile, 20))
	}
}
