package gatekeeper

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestREADMEInstall runs gatekeeper/README.md's install commands as written, then checks what they
// promise: a Pod in the namespace the README labels comes back with the label's policy, and a Pod
// elsewhere, or one labelled as a Windows Pod, comes back unchanged.
func TestREADMEInstall(t *testing.T) {
	e := startGatekeeper(t, serverVersion, quietAudit)
	e.runInstall(t, "gatekeeper/README.md", "gatekeeper/")
	defer e.removeShop(t)
	cmds, err := InstallCommands(filepath.Join(e.root, "gatekeeper/README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var ns, want string
	for _, c := range cmds {
		if len(c) == 4 && c[0] == "label" && c[1] == "namespace" {
			ns, want = c[2], strings.TrimPrefix(c[3], "selmount.io/change-policy=")
		}
	}
	if ns == "" {
		t.Fatal("gatekeeper/README.md's install has no `kubectl label namespace`")
	}
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout+time.Minute)
	defer cancel()
	pods := func(ns string) func(*corev1.Pod, ...string) (string, error) {
		return func(p *corev1.Pod, dryRun ...string) (string, error) {
			got, err := e.clients.Typed.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{DryRun: dryRun})
			if err != nil {
				return "", err
			}
			return changePolicyOf(got), nil
		}
	}
	plain := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "registry.example/web:1"}}}}
	// The Assign reaches the mutation webhook a moment after its status says so: dry runs until it
	// has, bounded, then the Pod itself.
	deadline := time.Now().Add(readyTimeout)
	for {
		got, err := pods(ns)(plain, metav1.DryRunAll)
		if err != nil {
			t.Fatal(err)
		}
		if got == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Pod in %s %s after the README's install: seLinuxChangePolicy %q, want %s", ns, readyTimeout, got, want)
		}
		time.Sleep(time.Second)
	}
	if got, err := pods(ns)(plain); err != nil || got != want {
		t.Errorf("Pod in %s: seLinuxChangePolicy %q (%v), want %s", ns, got, err, want)
	}
	if got, err := pods(metav1.NamespaceDefault)(plain, metav1.DryRunAll); err != nil || got != "" {
		t.Errorf("Pod in default, which is not labelled: seLinuxChangePolicy %q (%v), want none", got, err)
	}
	windows := plain.DeepCopy()
	windows.Name, windows.Labels = "win", map[string]string{"selmount.io/os": "windows"}
	if got, err := pods(ns)(windows, metav1.DryRunAll); err != nil || got != "" {
		t.Errorf("Pod labelled selmount.io/os=windows in %s: seLinuxChangePolicy %q (%v), want none", ns, got, err)
	}
}

func changePolicyOf(p *corev1.Pod) string {
	if sc := p.Spec.SecurityContext; sc != nil && sc.SELinuxChangePolicy != nil {
		return string(*sc.SELinuxChangePolicy)
	}
	return ""
}
