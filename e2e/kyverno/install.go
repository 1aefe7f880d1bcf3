package kyverno

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/selmount/selmount/e2e/bundles"
)

// servingTimeout bounds the wait for Kyverno to serve its policy webhook after start: it registers
// the webhook before its certificate Secret exists, and answers TLS only once it does.
const servingTimeout = 2 * time.Minute

// commandTimeout bounds one README command (kubectl wait's own --timeout is shorter).
const commandTimeout = 3 * time.Minute

// Run runs kubectl args from dir (the repository root, where the README's relative paths start).
func Run(k bundles.Kubectl, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, k.Bin, append([]string{"--kubeconfig=" + k.Kubeconfig}, args...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("kubectl %s: %v: %s", strings.Join(args, " "), err, out.String())
	}
	return out.String(), nil
}

// tlsSecret is the Secret of the webhook server's certificate; until it exists every TLS handshake
// fails ("tls: internal error" in the API server's message).
const tlsSecret = "kyverno-svc.kyverno.svc.kyverno-tls-pair"

// WaitServing returns once Kyverno has registered its webhooks, stored its certificate and its policy
// webhook accepts the bundle at dir in a server-side dry run: what a Deployment's readiness gives
// users in a cluster.
func WaitServing(ctx context.Context, k bundles.Kubectl, root, dir string, c kubernetes.Interface, ctl *Controller) error {
	ctx, cancel := context.WithTimeout(ctx, servingTimeout)
	defer cancel()
	if _, err := WaitForWebhooks(ctx, c, ctl); err != nil {
		return err
	}
	var last error
	for {
		_, last = c.CoreV1().Secrets(Namespace).Get(ctx, tlsSecret, metav1.GetOptions{})
		if last == nil {
			if _, last = Run(k, root, "apply", "--dry-run=server", "-k", dir); last == nil {
				return nil
			}
		}
		select {
		case <-ctl.Exited():
			return fmt.Errorf("kyverno exited: %v", last)
		case <-ctx.Done():
			return fmt.Errorf("kyverno does not serve after %s: %v", servingTimeout, last)
		case <-time.After(time.Second):
		}
	}
}

// Install runs kyverno/README.md's commands for the bundle at dir ("kyverno/" or an overlay) as
// written: its `kubectl apply -k`, then its `kubectl wait` (with Aggregator running, as a cluster's
// controller manager would). It returns each command's output.
func Install(k bundles.Kubectl, root, dir string) ([]string, error) {
	cmds, err := ReadmeCommands(filepath.Join(root, "kyverno", "README.md"))
	if err != nil {
		return nil, err
	}
	apply, wait := find(cmds, "apply", dir), find(cmds, "wait", "")
	if apply == nil || wait == nil {
		return nil, fmt.Errorf("kyverno/README.md has no `kubectl apply -k %s` or no `kubectl wait`", dir)
	}
	var outs []string
	out, err := Run(k, root, apply...)
	outs = append(outs, out)
	if err != nil {
		return outs, err
	}
	out, err = Run(k, root, wait...)
	return append(outs, out), err
}

// find returns the first command whose verb is verb and, when path is set, whose last argument is it.
func find(cmds [][]string, verb, path string) []string {
	for _, c := range cmds {
		if len(c) > 0 && c[0] == verb && (path == "" || c[len(c)-1] == path) {
			return c
		}
	}
	return nil
}
