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
// process killed, its webhooks still registered), with kyverno/ and with overlays/enforce. The
// bundles' decision: the checks fail open (failurePolicy Ignore), so a Pod elsewhere is admitted; the
// opt-out fails closed (Fail, as in map/), so a Pod in an opted-out namespace is refused rather than
// admitted without the field. Either answer comes within the webhooks' timeout, not later.
func TestControllerDown(t *testing.T) {
	for _, b := range bundlesReplayed {
		if b.audit {
			continue // the same policies as the first pass
		}
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
			optedOut := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "opted-out",
				Labels: map[string]string{"selmount.io/change-policy": "Recursive"}}}
			if _, err := e.clients.Typed.CoreV1().Namespaces().Create(ctx, optedOut, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			hooks, err := Webhooks(ctx, e.clients.Typed)
			if err != nil {
				t.Fatal(err)
			}
			limit := selmountTimeout(hooks)
			for _, h := range hooks {
				if want := "Ignore"; isSelmount(h) && strings.HasPrefix(h.Name, "vpol.") && h.FailurePolicy != want {
					t.Errorf("webhook %s carries a check with failurePolicy %s, want %s", h.Name, h.FailurePolicy, want)
				}
			}
			if limit == 0 {
				t.Fatalf("no webhook carries selmount's policies: %+v", hooks)
			}
			_ = syscall.Kill(-e.controller.Pid, syscall.SIGKILL)
			<-e.controller.Exited()
			for _, c := range []struct {
				namespace string
				refused   bool
			}{{"default", false}, {"opted-out", true}} {
				pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "while-down", Namespace: c.namespace},
					Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "registry.example/c:1"}}}}
				began := time.Now()
				_, err = e.clients.Typed.CoreV1().Pods(c.namespace).Create(ctx, pod, metav1.CreateOptions{})
				took := time.Since(began)
				t.Logf("%s, Kyverno down, a Pod in %s: %v after %s (timeout %ds)", b.dir, c.namespace, err, took.Round(time.Millisecond), limit)
				if refused := err != nil; refused != c.refused {
					t.Errorf("a Pod in %s refused %v, want %v: %v", c.namespace, refused, c.refused, err)
				}
				if c.refused && err != nil && !strings.Contains(err.Error(), "selmount-selinux-004-opt-out") {
					t.Errorf("a Pod in %s refused by something other than the opt-out's webhook: %v", c.namespace, err)
				}
				if took > time.Duration(limit+5)*time.Second {
					t.Errorf("Pod creation blocked %s, beyond the webhooks' %ds timeout", took, limit)
				}
			}
		})
	}
}
