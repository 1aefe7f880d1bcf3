package kyverno

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// lookupDelay is how long the slow lookups take: well beyond the webhooks' timeout (checked below),
// bounded so that a held request ends on its own.
const lookupDelay = 30 * time.Second

// TestSlowLookup answers what a user sees when the API server is slow to answer the policies' LISTs
// of Pods (each held 30 s): the checks time out and fail open (failurePolicy Ignore), so a Pod is
// admitted within the webhook's timeout, unchecked, and in an opted-out namespace still gets the
// opt-out's value (the mutation reads its namespace, no Pod list). Nothing blocks Pod creation
// beyond the timeout.
func TestSlowLookup(t *testing.T) {
	e := startVia(t, "1.37", lookupDelay)
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	if err := WaitServing(ctx, e.kubectl, e.root, "kyverno/", e.clients.Typed, e.controller); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(e.kubectl, e.root, "kyverno/"); err != nil {
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
	if limit == 0 || time.Duration(limit)*time.Second >= lookupDelay {
		t.Fatalf("webhook timeout %ds: want one below the %s delay", limit, lookupDelay)
	}
	create := func(ns, name string) (*corev1.Pod, time.Duration, error) {
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "registry.example/c:1"}}}}
		began := time.Now()
		got, err := e.clients.Typed.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
		return got, time.Since(began), err
	}
	// A first Pod with the lookups answered at once: the controller's caches are warm after it.
	if _, took, err := create("default", "answered"); err != nil {
		t.Fatalf("with lookups answered: %v", err)
	} else {
		t.Logf("lookups answered: a Pod in default admitted in %s", took.Round(time.Millisecond))
	}
	e.clients.Warnings.Take()
	e.lookups.On(true)
	for _, c := range []struct{ namespace, policy string }{{"default", ""}, {"opted-out", "Recursive"}} {
		held := e.lookups.Held()
		got, took, err := create(c.namespace, "slow")
		warnings := e.clients.Warnings.Take()
		t.Logf("lookups held %s: a Pod in %s: %v after %s (timeout %ds), warnings %q", lookupDelay, c.namespace, err, took.Round(time.Millisecond), limit, warnings)
		if e.lookups.Held() == held {
			t.Errorf("a Pod in %s: no lookup was held, the test shows nothing", c.namespace)
		}
		if err != nil {
			t.Errorf("a Pod in %s refused while the lookups are slow: %v", c.namespace, err)
			continue
		}
		if p := got.Spec.SecurityContext; c.policy != "" && (p == nil || p.SELinuxChangePolicy == nil || string(*p.SELinuxChangePolicy) != c.policy) {
			t.Errorf("a Pod in %s: seLinuxChangePolicy %+v, want %s", c.namespace, p, c.policy)
		}
		if took > time.Duration(limit+5)*time.Second {
			t.Errorf("a Pod in %s: creation blocked %s, beyond the webhooks' %ds timeout", c.namespace, took, limit)
		}
	}
}
