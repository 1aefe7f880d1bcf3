package kyverno

import (
	"context"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/cluster"
)

// startupTimeout bounds the controller's start: informers, leader election, certificates, webhooks.
const startupTimeout = 3 * time.Minute

// TestController runs Kyverno's admission controller out of cluster, as its ServiceAccount, and
// checks that it reaches the state users rely on with nothing leaving loopback.
func TestController(t *testing.T) {
	e := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	hooks, err := WaitForWebhooks(ctx, e.clients.Typed, e.controller)
	if err != nil {
		t.Fatalf("%v\n%s", err, cluster.Tail(e.controller.LogFile, 40))
	}
	if off := OffLoopback(hooks, e.controller.Port); len(off) > 0 {
		t.Errorf("webhooks that do not call the controller on 127.0.0.1:%d: %+v", e.controller.Port, off)
	}
	ls, err := Listeners(e.controller.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) == 0 {
		t.Errorf("kyverno (pid %d) listens on nothing: ss sees no webhook server", e.controller.Pid)
	}
	if off := OffLoopbackListeners(ls); len(off) > 0 {
		t.Errorf("kyverno listens beyond loopback: %v", off)
	}
}
