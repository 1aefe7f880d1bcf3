package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// renderText prints findings grouped by volume, because a fix (opting out, aligning levels) is
// decided per volume: every pod that shares it has to agree.
func renderText(w io.Writer, res *scanResult, failOn string) error {
	rep := res.report
	tw := &textWriter{w: w}
	tw.printf("selmount scan · profile %s · %d pods and workloads\n", rep.Profile, len(res.state.Pods))

	byVolume, perPod := splitByVolume(rep.Findings)
	conflicts := map[string][]*pairConflict{}
	for _, p := range pairConflicts(rep.Conflicts) {
		conflicts[p.volume] = append(conflicts[p.volume], p)
	}
	assumed := false
	for _, vol := range sortedKeys(byVolume) {
		tw.printf("\nVolume %s\n", vol)
		t := tw.table("  SEVERITY\tRULE\tPOD\tOTHER POD\tDETAIL")
		for _, row := range volumeRows(byVolume[vol]) {
			t.row(row...)
			assumed = assumed || strings.HasSuffix(row[0], "*")
		}
		t.flush()
		printed := map[string]bool{} // a pod in conflict with many others gets its fix once
		for _, p := range conflicts[vol] {
			for _, fix := range p.suggestions(stateOptOut(res.state)) {
				if !printed[fix] {
					printed[fix] = true
					tw.printf("  fix: %s\n", fix)
				}
			}
		}
	}
	if len(perPod) > 0 {
		tw.printf("\nPods\n")
		t := tw.table("  SEVERITY\tRULE\tPOD\tDETAIL")
		for _, f := range perPod {
			t.row(severityCell(f), f.Rule, f.Pod.Key(), detail(f))
		}
		t.flush()
	}
	printDiagnostics(tw, rep.Diagnostics)
	if assumed {
		tw.printf("\n* assumed: the StorageClass or CSIDriver is not in the input, so the volume is taken to support -o context\n")
	}
	tw.printf("\n%s\n", summaryLine(res, failOn))
	return tw.err
}

// printDiagnostics lists what the findings above did not see.
func printDiagnostics(tw *textWriter, ds []cluster.Diagnostic) {
	if len(ds) == 0 {
		return
	}
	tw.printf("\nDiagnostics (input selmount could not use)\n")
	t := tw.table("  SEVERITY\tKIND\tOBJECT\tWHERE\tMESSAGE")
	for _, d := range ds {
		t.row(d.Severity, d.Kind, d.Object, d.File, d.Message)
	}
	t.flush()
}

// stateOptOut reads the opt-out label from the scanned namespaces; a namespace missing from the
// input counts as unlabelled.
func stateOptOut(s *cluster.State) optOutLookup {
	return func(ns string) (string, bool) {
		n := s.Namespaces[ns]
		if n == nil {
			return "", false
		}
		v, ok := n.Labels[policies.OptOutLabel]
		return v, ok
	}
}

// splitByVolume separates findings about a volume from those about a pod alone.
func splitByVolume(fs []policies.Finding) (map[string][]policies.Finding, []policies.Finding) {
	byVolume := map[string][]policies.Finding{}
	var perPod []policies.Finding
	for _, f := range fs {
		if f.Volume == "" {
			perPod = append(perPod, f)
			continue
		}
		byVolume[f.Volume] = append(byVolume[f.Volume], f)
	}
	return byVolume, perPod
}

// volumeRows prints a controller conflict within one namespace once per pair ("a <-> b"): the model
// reports both directions, which in a table reads as the same line twice. Across namespaces each
// direction keeps its row and the other pod is censored, as upstream's events are.
func volumeRows(fs []policies.Finding) [][]string {
	directed := map[string]bool{}
	for _, f := range fs {
		if isConflictRule(f.Rule) && f.OtherPod != nil && f.OtherPod.Namespace == f.Pod.Namespace {
			directed[conflictKey(f.Rule, f.Property, f.Pod, *f.OtherPod)] = true
		}
	}
	var rows [][]string
	for _, f := range fs {
		if isConflictRule(f.Rule) && f.OtherPod != nil && f.OtherPod.Namespace != f.Pod.Namespace {
			vals := ""
			if len(f.Values) == 2 {
				vals = fmt.Sprintf(" %q vs a different value", f.Values[0])
			}
			rows = append(rows, []string{severityCell(f), f.Rule, f.Pod.Key(), anotherPod, f.Property + vals})
			continue
		}
		if isConflictRule(f.Rule) && f.OtherPod != nil {
			if f.OtherPod.Key() < f.Pod.Key() && directed[conflictKey(f.Rule, f.Property, *f.OtherPod, f.Pod)] {
				continue
			}
			vals := ""
			if len(f.Values) == 2 {
				vals = fmt.Sprintf(" %q vs %q", f.Values[0], f.Values[1])
			}
			rows = append(rows, []string{severityCell(f), f.Rule, f.Pod.Key() + " <->", f.OtherPod.Key(), f.Property + vals})
			continue
		}
		other := ""
		if f.OtherPod != nil {
			other = otherPodCell(f)
		}
		rows = append(rows, []string{severityCell(f), f.Rule, f.Pod.Key(), other, detail(f)})
	}
	return rows
}

// otherPodCell names the other pod only when it shares the finding's namespace.
func otherPodCell(f policies.Finding) string {
	if f.OtherPod.Namespace != f.Pod.Namespace {
		return anotherPod
	}
	return f.OtherPod.Key()
}

func isConflictRule(rule string) bool {
	return rule == policies.RuleLabelConflict || rule == policies.RulePolicyConflict
}

func conflictKey(rule, property string, pod, other policies.PodRef) string {
	return rule + "\x00" + property + "\x00" + pod.Key() + "\x00" + other.Key()
}

func severityCell(f policies.Finding) string {
	if f.Assumed {
		return f.Severity + "*"
	}
	return f.Severity
}

// detail is the finding's message without the rule ID the table already shows.
func detail(f policies.Finding) string {
	return strings.TrimPrefix(f.Message, f.Rule+": ")
}

func summaryLine(res *scanResult, failOn string) string {
	rep := res.report
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	verdict := "passes"
	if exitCode(res, failOn) != exitOK {
		verdict = "fails"
	}
	return fmt.Sprintf("Summary: %d findings (%s, %s), %s, %s; %s --fail-on %s",
		len(rep.Findings), plural(counts[policies.SeverityError], "error"), plural(counts[policies.SeverityWarning], "warning"),
		plural(len(rep.Conflicts), "directed conflict"), diagnosticCount(rep.Diagnostics), verdict, failOn)
}

// diagnosticCount says how many diagnostics can fail the scan, so that a verdict reached through
// diagnostics alone is explained on the summary line.
func diagnosticCount(ds []cluster.Diagnostic) string {
	counts := map[string]int{}
	for _, d := range ds {
		counts[d.Severity]++
	}
	s := plural(len(ds), "diagnostic")
	if counts[cluster.DiagError]+counts[cluster.DiagWarning] > 0 {
		s += fmt.Sprintf(" (%s, %s)", plural(counts[cluster.DiagError], "error"), plural(counts[cluster.DiagWarning], "warning"))
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// textWriter remembers the first write error so that rendering code stays linear.
type textWriter struct {
	w   io.Writer
	err error
}

// printf escapes every string argument: names, handles and messages come from the input.
func (t *textWriter) printf(format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = printable(s)
		}
	}
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

type table struct {
	parent *textWriter
	tw     *tabwriter.Writer
}

func (t *textWriter) table(header string) *table {
	tab := &table{parent: t, tw: tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)}
	tab.line(header)
	return tab
}

// row escapes every cell: a tab or newline from the input would otherwise break the table.
func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = printable(c)
	}
	t.line("  " + strings.Join(cells, "\t"))
}

func (t *table) line(s string) {
	if t.parent.err == nil {
		_, t.parent.err = fmt.Fprintln(t.tw, s)
	}
}

func (t *table) flush() {
	if err := t.tw.Flush(); err != nil && t.parent.err == nil {
		t.parent.err = err
	}
}
