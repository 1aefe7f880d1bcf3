package gatekeeper

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
	"github.com/selmount/selmount/e2e/replay"
)

// env is one API server with Gatekeeper's release installed and its manager running.
type env struct {
	root    string // the repository
	server  *cluster.Server
	kubectl bundles.Kubectl
	clients *replay.Clients
	manager *Manager
	release string // "v3.23.1"
}

// serverVersion is where gatekeeper/ is installed when a test does not say: gatekeeper/README.md
// says it is for 1.37.
const serverVersion = "1.37"

// startGatekeeper starts etcd, the kube-apiserver, installs the release's CRDs, namespace and
// loopback webhooks and runs the manager; all of it stops when the test ends.
// managerBinary is the released manager's path and the e2e module's root; the test is skipped when
// the manager is not built, before it does anything that a run without it would leave incomplete.
func managerBinary(t testing.TB) (bin, mod string) {
	t.Helper()
	mod, err := cluster.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(mod, "bin", "gatekeeper")
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no %s: build it with `make gatekeeper-binary` (the released v3.23.1 manager)", bin)
	}
	return bin, mod
}

// quietAudit is the audit interval (seconds) of the tests that do not read constraint status: rare
// enough not to weigh on what they measure.
const quietAudit = 60

func startGatekeeper(t testing.TB, server string, auditEvery int) *env {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a kube-apiserver and Gatekeeper's manager")
	}
	bin, mod := managerBinary(t)
	e := &env{root: filepath.Dir(mod)}
	v, ok := cluster.VersionNamed(server)
	if !ok {
		t.Fatalf("no server version %s", server)
	}
	apiserver := cluster.Binary(t, "kube-apiserver", cluster.KubeAPIServerPkg)
	e.kubectl = bundles.Kubectl{Bin: cluster.Binary(t, "kubectl", cluster.KubectlPkg)}
	e.server = cluster.StartAPIServer(t, apiserver, cluster.StartEtcd(t), v.Options)
	e.kubectl.Kubeconfig = e.server.Kubeconfig
	var err error
	if e.clients, err = replay.NewClients(e.server.URL, e.server.Creds.CertFile, e.server.Creds.Token); err != nil {
		t.Fatal(err)
	}
	e.clients.Audit, e.clients.ServerLog = replay.NewAuditLog(e.server.AuditLog), e.server.LogFile

	var engine bundles.Engine
	for _, en := range bundles.Engines {
		if en.Name == "gatekeeper" {
			engine = en
		}
	}
	rel, err := engine.Release(e.root)
	if err != nil {
		t.Fatal(err)
	}
	e.release = rel.Version
	certDir := t.TempDir()
	caPEM, err := WriteWebhookCert(certDir)
	if err != nil {
		t.Fatal(err)
	}
	port := cluster.FreePort(t)
	m, err := ReleaseManifest(filepath.Join(rel.Dir, "deploy", "gatekeeper.yaml"), port, caPEM, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if out, code := e.kubectl.Run("create", "-f", m.Path); code != 0 {
		t.Fatalf("kubectl create -f %s: exit %d\n%s", m.Path, code, out)
	}
	args := []string{"wait", "--for=condition=Established", "--timeout=60s"}
	for _, c := range m.CRDs {
		args = append(args, "customresourcedefinition.apiextensions.k8s.io/"+c)
	}
	if out, code := e.kubectl.Run(args...); code != 0 {
		t.Fatalf("Gatekeeper's CRDs not Established: %s", out)
	}
	// The manager owns its status objects through its own Pod, which it reads; no kubelet runs
	// here, so the Pod stays Pending, in the namespace the webhooks exempt.
	if _, err := e.clients.Typed.CoreV1().Pods(Namespace).Create(context.Background(), ManagerPod(e.release), metav1.CreateOptions{}); err != nil {
		t.Fatalf("the manager's Pod: %v", err)
	}
	// The release's permissions, not the admin's, are what the manager's sync, audit and status
	// writes get.
	kubeconfig := filepath.Join(t.TempDir(), "gatekeeper-admin.kubeconfig")
	if err := e.kubectl.ServiceAccountKubeconfig(e.server, Namespace, ServiceAccount, kubeconfig); err != nil {
		t.Fatal(err)
	}
	e.manager = StartManager(t, bin, kubeconfig, certDir, port, auditEvery)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("gatekeeper log tail:\n%s", cluster.Tail(e.manager.LogFile, 60))
		}
	})
	return e
}

// installBarrier adds the test-only sync barrier (testdata/barrier-*.yaml) and returns it once it answers.
func (e *env) installBarrier(t testing.TB) Barrier {
	t.Helper()
	steps := [][]string{
		{"apply", "-f", filepath.Join("testdata", "barrier-template.yaml")},
		{"wait", "--for=jsonpath={.status.created}=true", "--timeout=60s", "constrainttemplate/selmounte2ebarrier"},
		{"wait", "--for=condition=Established", "--timeout=60s", "crd/selmounte2ebarrier.constraints.gatekeeper.sh"},
		{"apply", "-f", filepath.Join("testdata", "barrier-constraint.yaml")},
	}
	for _, s := range steps {
		if out, code := e.kubectl.Run(s...); code != 0 {
			t.Fatalf("barrier: kubectl %s: %s", strings.Join(s, " "), out)
		}
	}
	b, err := LoadSynced(filepath.Join(e.root, "gatekeeper", "base", "sync.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for {
		err := b.Wait(ctx, e.clients)
		if err == nil {
			return b
		}
		if ctx.Err() != nil {
			t.Fatalf("barrier never answered: %v", err)
		}
	}
}

// install runs gatekeeper/README.md's install commands from the repository root, as written. The
// README labels namespace shop: it is created first, as a user's would exist.
func (e *env) install(t testing.TB, readme string) {
	t.Helper()
	e.installBundle(t, readme, "gatekeeper/")
}

// installBundle runs the README's commands with its `kubectl apply -k gatekeeper/` applying bundle
// instead (an overlay, as the README's table says).
func (e *env) installBundle(t testing.TB, readme, bundle string) {
	t.Helper()
	e.runInstall(t, readme, bundle)
	e.removeShop(t)
}

// runInstall runs the README's install commands, leaving namespace shop as they labelled it.
func (e *env) runInstall(t testing.TB, readme, bundle string) {
	t.Helper()
	if out, code := e.kubectl.Run("create", "namespace", "shop"); code != 0 {
		t.Fatalf("create namespace shop: %s", out)
	}
	cmds, err := InstallCommands(filepath.Join(e.root, readme))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		args := make([]string, len(c))
		for i, a := range c {
			if a == "gatekeeper/" && i > 0 && c[i-1] == "-k" {
				a = bundle
			}
			// Paths in the README are relative to the repository root.
			if strings.HasPrefix(a, "gatekeeper/") {
				a = filepath.Join(e.root, a)
			}
			args[i] = a
		}
		out, code := e.kubectl.Run(args...)
		if code != 0 {
			diag, _ := e.kubectl.Run("get", "crd,constrainttemplates", "-o", "custom-columns=NAME:.metadata.name,STATUS:.status.created,BYPOD:.status.byPod")
			t.Logf("state:\n%s", diag)
			t.Fatalf("%s: `kubectl %s` exit %d:\n%s", readme, strings.Join(c, " "), code, strings.ReplaceAll(out, e.root+"/", ""))
		}
		t.Logf("kubectl %s:\n%s", strings.Join(c, " "), strings.ReplaceAll(out, e.root+"/", ""))
	}
}

// removeShop deletes the README's example namespace: the scenarios have their own namespace shop.
// No namespace controller runs: the replay's cleanup removes the finalizer.
func (e *env) removeShop(t testing.TB) {
	t.Helper()
	if err := e.clients.Cleanup(context.Background(), []*unstructured.Unstructured{{Object: map[string]any{
		"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "shop"}}}}); err != nil {
		t.Fatalf("remove namespace shop: %v", err)
	}
}
