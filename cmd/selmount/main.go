// Command selmount audits Kubernetes manifests and cluster dumps for the SELinuxMount change of
// Kubernetes v1.37: Pods that share a volume with different SELinux labels.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// Exit codes are part of the CLI contract: CI jobs branch on them.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

const usageText = `Usage:
  selmount scan [--profile v1.37] [--admit] [-o text|json|sarif|prometheus] [--fail-on none|warning|error] [--allow-empty] [--pairs [--max-pairs N]] [--max-series N] PATH...
  selmount scan [flags] --cluster | --kubeconfig FILE | --context NAME
  selmount webhook --tls-cert-file FILE --tls-private-key-file FILE [--listen :8443] [--profile v1.37] [--deny] [--kubeconfig FILE]
  selmount rules [-o text|json]
  selmount version

PATH is a manifest file, a folder of manifests (walked recursively, links followed; a folder
holding a kustomization.yaml is built with kustomize from local files only; one holding a
Chart.yaml is reported, not walked: scan "helm template" output instead), or - for standard
input. Input with no Kubernetes object is bad input unless --allow-empty. Conflicts between Pods
are reported per volume and label class; --pairs reports one per pair of Pods. --cluster reads
the running cluster (Namespaces, Pods, claims, volumes, StorageClasses, CSIDrivers; get and list
only); installed as kubectl-selmount, "kubectl selmount scan" with no PATH does the same.

Exit codes: 0 no finding or diagnostic reaches --fail-on, 1 one does, 2 bad input or usage.
`

// asKubectlPlugin is set when the binary runs as kubectl-selmount (`kubectl selmount …`).
var asKubectlPlugin bool

func main() {
	asKubectlPlugin = strings.HasPrefix(filepath.Base(os.Args[0]), "kubectl-selmount")
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	// A manifest that trips an unforeseen path in the model must still end in a message and the
	// bad-input exit code, not a Go stack dump that CI logs truncate.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "selmount: internal error: %v\n%s", r, debug.Stack())
			code = exitUsage
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	switch args[0] {
	case "scan":
		return runScan(args[1:], stdin, stdout, stderr)
	case "webhook":
		return runWebhook(args[1:], stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		return runVersion(stdout)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	fmt.Fprintf(stderr, "selmount: unknown command %q\n\n%s", args[0], usageText)
	return exitUsage
}
