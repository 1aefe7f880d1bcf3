package kyverno

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/selmount/selmount/e2e/cluster"
)

// TestReadmeInstall runs kyverno/README.md's commands as written on a fresh server with Kyverno
// running: the bundle is accepted by Kyverno's policy webhook, every policy becomes ready, and the
// README's opt-out label makes the next Pod of that namespace come back with the policy set.
func TestReadmeInstall(t *testing.T) {
	e := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	if err := WaitServing(ctx, e.kubectl, e.root, "kyverno/", e.clients.Typed, e.controller); err != nil {
		t.Fatalf("%v\n%s", err, cluster.Tail(e.controller.LogFile, 20))
	}
	outs, err := Install(e.kubectl, e.root, "kyverno/")
	if err != nil {
		status, _ := Run(e.kubectl, e.root, "get", "validatingpolicies,mutatingpolicies", "-o", `jsonpath={range .items[*]}{.metadata.name} {.status}{"\n"}{end}`)
		t.Fatalf("%v\n%s", err, status)
	}
	if n := strings.Count(outs[0], " created"); n != 7 {
		t.Errorf("kubectl apply -k kyverno/ created %d objects, want the ClusterRole and 6 policies:\n%s", n, outs[0])
	}
	if n := strings.Count(outs[1], " condition met"); n != 6 {
		t.Errorf("kubectl wait saw %d policies ready, want 6:\n%s", n, outs[1])
	}
	cmds, err := ReadmeCommands(e.root + "/kyverno/README.md")
	if err != nil {
		t.Fatal(err)
	}
	label := find(cmds, "label", "")
	if label == nil {
		t.Fatal("kyverno/README.md has no `kubectl label namespace`")
	}
	ns := label[2]
	if _, err := e.clients.Typed.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(e.kubectl, e.root, label...); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: ns},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "registry.example/web:1"}}}}
	want := strings.TrimPrefix(label[3], "selmount.io/change-policy=")
	// The label reaches the API server's and Kyverno's namespace caches a moment after kubectl
	// returns: dry runs until it has, bounded, then the Pod itself.
	deadline := time.Now().Add(labelTimeout)
	for {
		got, err := e.clients.Typed.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		if err != nil {
			t.Fatalf("%v\n%s", err, cluster.Tail(e.controller.LogFile, 30))
		}
		if changePolicyOf(got) == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Pod in %s %s after the README's label: seLinuxChangePolicy %q, want %s", ns, labelTimeout, changePolicyOf(got), want)
		}
		time.Sleep(200 * time.Millisecond)
	}
	got, err := e.clients.Typed.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if changePolicyOf(got) != want {
		t.Errorf("Pod in %s: seLinuxChangePolicy %q, want %s", ns, changePolicyOf(got), want)
	}
}

// labelTimeout bounds the wait for a namespace label to take effect in admission.
const labelTimeout = 30 * time.Second

func changePolicyOf(p *corev1.Pod) string {
	if sc := p.Spec.SecurityContext; sc != nil && sc.SELinuxChangePolicy != nil {
		return string(*sc.SELinuxChangePolicy)
	}
	return ""
}
