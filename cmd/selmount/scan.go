package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"

	"github.com/selmount/selmount/internal/live"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// scanResult is what every renderer reads: the model's report and the state it was made from. The
// report is grouped unless --pairs asked for one finding per pair; exactly one of the two is used.
type scanResult struct {
	pairs   bool
	report  policies.Report
	grouped policies.GroupedReport
	state   *cluster.State
	lines   *lineIndex
}

// diagnostics is where the report in use keeps its diagnostics.
func (r *scanResult) diagnostics() *[]cluster.Diagnostic {
	if r.pairs {
		return &r.report.Diagnostics
	}
	return &r.grouped.Diagnostics
}

// severities are those of every finding, group and diagnostic, which --fail-on compares.
func (r *scanResult) severities() []string {
	var out []string
	findings := r.grouped.Findings
	if r.pairs {
		findings = r.report.Findings
	}
	for _, f := range findings {
		out = append(out, f.Severity)
	}
	for _, g := range r.grouped.Groups {
		out = append(out, g.Severity)
	}
	for _, d := range *r.diagnostics() {
		out = append(out, d.Severity)
	}
	return out
}

func runScan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseScanArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %s\n", printable(err.Error()))
		return exitUsage
	}
	profile, err := gates.Parse(opts.profile)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: --profile: %v\n", err)
		return exitUsage
	}
	heap := startHeapTarget()
	defer heap.stop()
	in, err := loadInput(opts, stdin, stderr, heap)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %s\n", printable(err.Error()))
		return exitUsage
	}
	defer in.release()
	if opts.format != formatSARIF {
		// Only SARIF turns documents into lines; the rest need no page of the files any more.
		in.release()
	}
	// The state keeps what the audit reads of the objects; without the objects held here, the
	// rest (most of a Pod object) is garbage once the state is built.
	objects, count := in.objects, len(in.objects)
	in.objects = nil
	state, err := buildState(profile, objects, opts)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %s\n", printable(err.Error()))
		return exitUsage
	}
	// The heap's goal follows what was live at the last collection, during the decode, decoder
	// garbage included. Collecting now sets it from the state, which is what the audit reads, and
	// the audit's floor bounds how far the audit's garbage grows it past the target. (A soft
	// memory limit instead cost ~13% more CPU for the same effect on the old state: near the limit
	// the collector runs all the time.)
	runtime.GC()
	heap.audit()
	res, err := auditState(profile, state, opts)
	if err != nil {
		fmt.Fprintf(stderr, "selmount scan: %s\n", printable(err.Error()))
		return exitUsage
	}
	res.lines = newLineIndex(in.raw)
	if count == 0 {
		if !opts.allowEmpty {
			// Nothing was scanned, so nothing can pass: most often an upstream command failed.
			fmt.Fprintf(stderr, "selmount scan: the input holds no Kubernetes object%s (use --allow-empty to accept that)\n", whyEmpty(in.diags))
			return exitUsage
		}
		fmt.Fprintln(stderr, "selmount scan: warning: the input holds no Kubernetes object")
	}
	// Input diagnostics come first: they say what the findings below did not see.
	for i := range in.diags {
		if opts.allowEmpty && in.diags[i].Kind == cluster.DiagEmptyInput {
			in.diags[i].Severity = cluster.DiagInfo
		}
	}
	diags := res.diagnostics()
	*diags = append(in.diags, *diags...)
	if err := render(opts, stdout, stderr, res); err != nil {
		fmt.Fprintf(stderr, "selmount scan: %s\n", printable(err.Error()))
		return exitUsage
	}
	return exitCode(res, opts.failOn)
}

// loadInput reads the PATHs, or the cluster the options name.
func loadInput(opts scanOptions, stdin io.Reader, stderr io.Writer, heap *heapTarget) (*input, error) {
	if !opts.cluster {
		return loadPaths(opts.paths, stdin, heap)
	}
	objs, err := live.Load(context.Background(), live.Options{Kubeconfig: opts.kubeconfig, Context: opts.context, Progress: stderr})
	if err != nil {
		return nil, err
	}
	return &input{objects: objs, raw: map[string][]byte{}, seen: map[string]bool{}}, nil
}

// audit is the whole model run with the default options, as the benchmarks and tests run it.
func audit(profile gates.Profile, objs []cluster.Object) (*scanResult, error) {
	state, err := buildState(profile, objs, scanOptions{})
	if err != nil {
		return nil, err
	}
	return auditState(profile, state, scanOptions{})
}

// buildState is one state from every object, so that duplicates across files are caught and pods
// from different files meet on their volumes; it holds no object's metadata or status. With
// admit, the objects are first admitted as kubectl apply would create them, so the namespace
// opt-out takes effect.
func buildState(profile gates.Profile, objs []cluster.Object, opts scanOptions) (*cluster.State, error) {
	state, err := cluster.Build(objs)
	if err != nil {
		return nil, err
	}
	if opts.admit {
		if state, err = policies.ApplyAll(profile, policies.OptOutScope{}, objs); err != nil {
			return nil, err
		}
		// ApplyAll admits in input order; a dump's is by name. The opt-out reads only namespace
		// labels, so ordering after the admissions is admitting in creation order, as Build does.
		state.OrderByCreation()
	}
	state.DropSpecs()
	return state, nil
}

func auditState(profile gates.Profile, state *cluster.State, opts scanOptions) (*scanResult, error) {
	if !opts.pairs {
		return &scanResult{grouped: policies.AuditGrouped(profile, state), state: state}, nil
	}
	if err := checkPairBudget(profile, state, opts.maxPairs); err != nil {
		return nil, err
	}
	return &scanResult{pairs: true, report: policies.Audit(profile, state), state: state}, nil
}

func render(opts scanOptions, w, stderr io.Writer, res *scanResult) error {
	switch {
	case opts.format == formatPrometheus && res.pairs:
		return renderPrometheus(w, res.report)
	case opts.format == formatPrometheus:
		return renderPrometheusClasses(w, stderr, res.grouped.Classes, opts.maxSeries)
	case opts.format == formatJSON && res.pairs:
		return renderJSON(w, res.report)
	case opts.format == formatJSON:
		return renderGroupedJSON(w, res.grouped)
	case opts.format == formatSARIF:
		return renderSARIF(w, res)
	case res.pairs:
		return renderText(w, res, opts.failOn)
	}
	return renderGroupedText(w, res, opts.failOn)
}

// exitCode counts findings and diagnostics alike: a diagnostic of severity warning (a skipped file,
// an unresolved volume) or error (an unreadable path, an empty PATH) reaches --fail-on as a finding
// of that severity would; info diagnostics never do.
func exitCode(res *scanResult, failOn string) int {
	for _, sev := range res.severities() {
		if policies.Reaches(sev, failOn) {
			return exitFindings
		}
	}
	return exitOK
}

// whyEmpty names the first file skipped or not read, which is usually why nothing was scanned.
func whyEmpty(diags []cluster.Diagnostic) string {
	var why []cluster.Diagnostic
	for _, d := range diags {
		if d.Kind != cluster.DiagEmptyInput && d.Severity != cluster.DiagInfo {
			why = append(why, d)
		}
	}
	if len(why) == 0 {
		return ""
	}
	more := ""
	if len(why) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(why)-1)
	}
	return fmt.Sprintf(": %s: %s%s;", printable(why[0].File), printable(why[0].Message), more)
}
