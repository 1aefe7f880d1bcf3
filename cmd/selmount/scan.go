package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// scanResult is what every renderer reads: the model's report and the state it was made from.
type scanResult struct {
	report policies.Report
	state  *cluster.State
	lines  *lineIndex
}

func runScan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseScanArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %v\n", err)
		return exitUsage
	}
	profile, err := gates.Parse(opts.profile)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: --profile: %v\n", err)
		return exitUsage
	}
	in, err := loadPaths(opts.paths, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %v\n", err)
		return exitUsage
	}
	res, err := audit(profile, in.objects, opts.admit)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %v\n", err)
		return exitUsage
	}
	res.lines = newLineIndex(in.raw)
	if len(in.objects) == 0 {
		fmt.Fprintln(stderr, "selmount scan: warning: the input holds no objects")
	}
	if err := render(opts.format, stdout, res, opts.failOn); err != nil {
		fmt.Fprintf(stderr, "selmount scan: %v\n", err)
		return exitUsage
	}
	return exitCode(res.report, opts.failOn)
}

// audit is the whole model run: one state from every object, so that duplicates across files are
// caught and pods from different files meet on their volumes. With admit, the objects are first
// admitted as kubectl apply would create them, so the namespace opt-out takes effect.
func audit(profile gates.Profile, objs []cluster.Object, admit bool) (*scanResult, error) {
	state, err := cluster.Build(objs)
	if err != nil {
		return nil, err
	}
	if admit {
		if state, err = policies.ApplyAll(profile, policies.OptOutScope{}, objs); err != nil {
			return nil, err
		}
	}
	return &scanResult{report: policies.Audit(profile, state), state: state}, nil
}

func render(format string, w io.Writer, res *scanResult, failOn string) error {
	switch format {
	case formatJSON:
		return renderJSON(w, res.report)
	case formatSARIF:
		return renderSARIF(w, res)
	case formatPrometheus:
		return renderPrometheus(w, res.report)
	}
	return renderText(w, res, failOn)
}

func exitCode(rep policies.Report, failOn string) int {
	for _, f := range rep.Findings {
		if policies.Reaches(f.Severity, failOn) {
			return exitFindings
		}
	}
	return exitOK
}
