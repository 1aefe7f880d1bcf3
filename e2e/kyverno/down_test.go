package kyverno

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestControllerDown answers what a user sees when Kyverno's admission controller has crashed (the
// process killed, its webhooks still registered), with kyverno/ and with overlays/enforce: whether a
// Pod is refused or admitted, and that the answer comes within the webhook's timeout, not later.
func TestControllerDown(t *testing.T) {
	for _, b := range bundlesReplayed {
		name := strings.TrimPrefix(b.dir, "kyverno/")
		if name == "" {
			name = "base"
		}
		t.Run(name, func(t *testing.T) {
			e := start(t)
			ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
			defer cancel()
			if err := WaitServing(ctx, e.kubectl, e.root, "kyverno/", e.clients.Typed, e.controller); err != nil {
				t.Fatal(err)
			}
			if _, err := Install(e.kubectl, e.root, b.dir); err != nil {
				t.Fatal(err)
			}
			hooks, err := Webhooks(ctx, e.clients.Typed)
			if err != nil {
				t.Fatal(err)
			}
			// The webhook that carries selmount's ValidatingPolicies (Kyverno names them in its path).
			var limit int32
			failurePolicy := ""
			for _, h := range hooks {
				if strings.Contains(h.URL, "/selmount-selinux-003-multiple-labels") && strings.HasPrefix(h.Name, "vpol.") {
					limit, failurePolicy = h.TimeoutSeconds, h.FailurePolicy
				}
			}
			if failurePolicy == "" {
				t.Fatalf("no webhook carries selmount's ValidatingPolicies: %+v", hooks)
			}
			_ = syscall.Kill(-e.controller.Pid, syscall.SIGKILL)
			<-e.controller.Exited()
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "while-down", Namespace: "default"},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "registry.example/c:1"}}}}
			began := time.Now()
			_, err = e.clients.Typed.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{})
			took := time.Since(began)
			t.Logf("%s, Kyverno down: %v after %s (webhook failurePolicy %s, timeout %ds)", b.dir, err, took.Round(time.Millisecond), failurePolicy, limit)
			if refused := err != nil; refused != (failurePolicy == "Fail") {
				t.Errorf("Pod refused %v with the webhook's failurePolicy %s: %v", refused, failurePolicy, err)
			}
			if took > time.Duration(limit+5)*time.Second {
				t.Errorf("Pod creation blocked %s, beyond the webhooks' %ds timeout", took, limit)
			}
		})
	}
}
