package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// Output formats of scan.
const (
	formatText       = "text"
	formatJSON       = "json"
	formatSARIF      = "sarif"
	formatPrometheus = "prometheus"
)

var formats = []string{formatText, formatJSON, formatSARIF, formatPrometheus}

var failOnLevels = []string{"none", "warning", "error"}

// scanOptions is a parsed scan command line.
type scanOptions struct {
	profile    string
	admit      bool
	allowEmpty bool
	maxPairs   int64
	pairs      bool
	maxSeries  int64
	// kubeconfig, context and cluster read a running cluster instead of PATHs.
	kubeconfig string
	context    string
	cluster    bool
	format     string
	failOn     string
	paths      []string
}

// parseScanArgs accepts flags before, between and after paths, because people append
// "-o json" to a command they already typed; "--" ends the flags.
func parseScanArgs(args []string, stderr io.Writer) (scanOptions, error) {
	opts := scanOptions{}
	fs := flag.NewFlagSet("selmount scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&opts.admit, "admit", false, "admit Pods and workloads as CREATEs first, as kubectl apply of new objects would (the namespace opt-out applies); for manifests, not for dumps")
	fs.BoolVar(&opts.allowEmpty, "allow-empty", false, "accept input that holds no Kubernetes object (exit 0 instead of 2) and PATHs that hold none (info instead of error diagnostics)")
	fs.BoolVar(&opts.pairs, "pairs", false, "report SELINUX-001, 002 and 006 once per pair of Pods instead of per volume and label class (output grows with pairs, bounded by --max-pairs)")
	fs.Int64Var(&opts.maxPairs, "max-pairs", defaultMaxPairs, "with --pairs, refuse (exit 2) input whose Pods would make more directed conflicts than this, before memory runs out; 0 for no cap")
	fs.Int64Var(&opts.maxSeries, "max-series", defaultMaxSeries, "-o prometheus prints at most this many series of the per-pair metric (a comment and a warning say when more were left out); 0 for no cap")
	fs.BoolVar(&opts.cluster, "cluster", false, "scan the running cluster of the current kubeconfig context (read-only: get and list), instead of PATHs")
	fs.StringVar(&opts.kubeconfig, "kubeconfig", "", "scan the cluster of this kubeconfig (implies --cluster)")
	fs.StringVar(&opts.context, "context", "", "scan the cluster of this kubeconfig context (implies --cluster)")
	fs.StringVar(&opts.profile, "profile", "", "Kubernetes release and feature gates to audit for, e.g. v1.36 or v1.36,SELinuxMount=true (default v1.37)")
	fs.StringVar(&opts.format, "o", formatText, "output format: "+strings.Join(formats, "|"))
	fs.StringVar(&opts.format, "output", formatText, "same as -o")
	fs.StringVar(&opts.failOn, "fail-on", "error", "exit 1 when a finding reaches this severity: "+strings.Join(failOnLevels, "|"))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: selmount scan [flags] PATH...")
		fs.PrintDefaults()
	}
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return opts, err
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		// flag stops at the first non-flag; "--" was consumed by it, so everything left is a path.
		if consumedTerminator(args, rest) {
			opts.paths = append(opts.paths, rest...)
			break
		}
		opts.paths = append(opts.paths, rest[0])
		rest = rest[1:]
	}
	if !contains(formats, opts.format) {
		return opts, fmt.Errorf("unknown output format %q (want %s)", opts.format, strings.Join(formats, ", "))
	}
	if !contains(failOnLevels, opts.failOn) {
		return opts, fmt.Errorf("unknown --fail-on %q (want %s)", opts.failOn, strings.Join(failOnLevels, ", "))
	}
	// As kubectl's plugin (kubectl selmount scan), no PATH means the cluster kubectl would talk to.
	opts.cluster = opts.cluster || opts.kubeconfig != "" || opts.context != "" || (asKubectlPlugin && len(opts.paths) == 0)
	if opts.cluster && len(opts.paths) > 0 {
		return opts, fmt.Errorf("PATHs and a cluster (--cluster, --kubeconfig, --context) cannot be scanned together")
	}
	if len(opts.paths) == 0 && !opts.cluster {
		return opts, fmt.Errorf("no PATH given (use - for standard input, or --cluster)")
	}
	return opts, nil
}

// consumedTerminator tells whether the flag set stopped because of "--": then the token before
// rest in args is "--".
func consumedTerminator(args, rest []string) bool {
	i := len(args) - len(rest) - 1
	return i >= 0 && args[i] == "--"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
