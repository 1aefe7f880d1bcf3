package kyverno

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/selmount/selmount/e2e/cluster"
)

// stopTimeout bounds a graceful stop before the process group is killed.
const stopTimeout = 20 * time.Second

// Controller is a running Kyverno admission controller process.
type Controller struct {
	Port    int // its webhook server, on 127.0.0.1
	LogFile string
	Pid     int
	exited  chan struct{}
}

// Exited is closed when the process has ended.
func (c *Controller) Exited() <-chan struct{} { return c.exited }

// Args are the controller's flags: the release's, but with every listener on loopback (the webhook
// server on port, metrics off) and --serverIP, which makes it issue itself a certificate for
// 127.0.0.1 and register URL webhooks to it instead of references to its Service.
func Args(kubeconfig string, port, metricsPort int) []string {
	return []string{
		"--kubeconfig=" + kubeconfig,
		fmt.Sprintf("--serverIP=127.0.0.1:%d", port),
		"--webhookServerHost=127.0.0.1",
		fmt.Sprintf("--webhookServerPort=%d", port),
		"--disableMetrics=true",
		// The metrics server starts even with metrics disabled, on every interface unless told.
		"--metricsHost=127.0.0.1",
		fmt.Sprintf("--metricsPort=%d", metricsPort),
		// The release's names for the certificate Secrets it creates and rotates.
		"--caSecretName=kyverno-svc.kyverno.svc.kyverno-tls-ca",
		"--tlsSecretName=kyverno-svc.kyverno.svc.kyverno-tls-pair",
		"--controllerRuntimeMetricsAddress=0",
		"--backgroundServiceAccountName=system:serviceaccount:kyverno:kyverno-background-controller",
		"--reportsServiceAccountName=system:serviceaccount:kyverno:kyverno-reports-controller",
		"--admissionReports=true",
		"--autoUpdateWebhooks=true",
		"--enablePolicyException=false",
		"--loggingFormat=json",
		"--v=2",
	}
}

// env is what the release's Deployment sets, the Pod's own name and namespace included.
func controllerEnv() []string {
	return append(os.Environ(),
		"KYVERNO_NAMESPACE="+Namespace,
		"KYVERNO_POD_NAME=kyverno-admission-controller-e2e",
		"KYVERNO_SERVICEACCOUNT_NAME="+AdmissionServiceAccount,
		"KYVERNO_ROLE_NAME=kyverno:admission-controller",
		"KYVERNO_DEPLOYMENT=kyverno-admission-controller",
		"KYVERNO_SVC=kyverno-svc",
		"INIT_CONFIG=kyverno",
		"METRICS_CONFIG=kyverno-metrics",
	)
}

// StartController runs the admission controller at bin with its ServiceAccount's kubeconfig and the
// release's flags, then extra ones (a later flag wins). The process group is stopped when the test
// ends.
func StartController(t cluster.TB, bin, kubeconfig string, extra ...string) (*Controller, error) {
	port := cluster.FreePort(t)
	c, err := startProcess(t, bin, "kyverno.log", append(Args(kubeconfig, port, cluster.FreePort(t)), extra...), controllerEnv())
	if c != nil {
		c.Port = port
	}
	return c, err
}

// startProcess runs bin with args and env in a process group of its own, logging to a file named
// logName in a temporary folder, and stops the group when the test ends.
func startProcess(t cluster.TB, bin, logName string, args, env []string) (*Controller, error) {
	dir := t.TempDir()
	c := &Controller{LogFile: filepath.Join(dir, logName), exited: make(chan struct{})}
	logf, err := os.Create(c.LogFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = env, dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	c.Pid = cmd.Process.Pid
	go func() { _ = cmd.Wait(); logf.Close(); close(c.exited) }()
	t.Cleanup(c.Stop)
	return c, nil
}

// Stop ends the process group: SIGTERM, then SIGKILL after stopTimeout. Calling it again is harmless.
func (c *Controller) Stop() {
	select {
	case <-c.exited:
		return
	default:
	}
	_ = syscall.Kill(-c.Pid, syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(stopTimeout):
		_ = syscall.Kill(-c.Pid, syscall.SIGKILL)
		<-c.exited
	}
}
