package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/controller"
)

// renderGroupedText prints one row per group of Pods (a namespace and a value on a volume) instead of
// one per pair, so that a volume shared by thousands of Pods in a few classes stays a few rows; the
// per-pod rules keep their rows. --pairs prints the per-pair table instead.
func renderGroupedText(w io.Writer, res *scanResult, failOn string) error {
	rep := res.grouped
	tw := &textWriter{w: w}
	tw.printf("selmount scan · profile %s · %d pods and workloads\n", rep.Profile, len(res.state.Pods))
	byVolume := map[string][]policies.ConflictGroup{}
	for _, g := range rep.Groups {
		byVolume[g.Volume] = append(byVolume[g.Volume], g)
	}
	var perVolume, perPod []policies.Finding
	for _, f := range rep.Findings {
		if f.Volume != "" {
			perVolume = append(perVolume, f)
		} else {
			perPod = append(perPod, f)
		}
	}
	findingsOn := map[string][]policies.Finding{}
	for _, f := range perVolume {
		findingsOn[f.Volume] = append(findingsOn[f.Volume], f)
		if byVolume[f.Volume] == nil {
			byVolume[f.Volume] = []policies.ConflictGroup{}
		}
	}
	assumed := false
	for _, vol := range sortedKeys(byVolume) {
		tw.printf("\nVolume %s\n", vol)
		t := tw.table("  SEVERITY\tRULE\tPODS\tDETAIL")
		for _, g := range byVolume[vol] {
			t.row(groupSeverityCell(g), g.Rule, groupPodsCell(g), strings.TrimPrefix(g.Message, g.Rule+": "))
			assumed = assumed || g.Assumed
		}
		for _, f := range findingsOn[vol] {
			t.row(severityCell(f), f.Rule, f.Pod.Key(), detail(f))
			assumed = assumed || f.Assumed
		}
		t.flush()
		printed := map[string]bool{}
		for _, g := range byVolume[vol] {
			if fix := groupSuggestion(g, stateOptOut(res.state)); fix != "" && !printed[fix] {
				printed[fix] = true
				tw.printf("  fix: %s\n", fix)
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
	tw.printf("\n%s\n", groupedSummaryLine(res, failOn))
	return tw.err
}

// groupPodsCell names a group's only Pod, or its namespace and how many Pods it holds.
func groupPodsCell(g policies.ConflictGroup) string {
	if len(g.Pods) == 1 {
		return g.Namespace + "/" + g.Pods[0]
	}
	return fmt.Sprintf("%s: %d Pods", g.Namespace, len(g.Pods))
}

func groupSeverityCell(g policies.ConflictGroup) string {
	if g.Assumed {
		return g.Severity + "*"
	}
	return g.Severity
}

// groupSuggestion is the fix for a controller group, naming only the group's own namespace and Pods,
// as upstream's events name only their own Pod. The kubelet's refusals get none: the conflicts
// behind them have theirs.
func groupSuggestion(g policies.ConflictGroup, optOut optOutLookup) string {
	who := groupPods(g)
	switch {
	case g.Rule == policies.RulePolicyConflict && g.Value == "Recursive":
		return fmt.Sprintf("for %s: they relabel recursively while other Pods mount the volume with -o context; give them the same seLinuxOptions as those Pods, or let those Pods' namespaces opt out", who)
	case g.Rule == policies.RulePolicyConflict:
		return fmt.Sprintf("for %s: %s (or set seLinuxChangePolicy: Recursive on them), because other Pods use the volume with Recursive", who, optOutClause([]string{g.Namespace}, optOut))
	case g.Rule == policies.RuleLabelConflict:
		their, they := "their", "they conflict"
		if len(g.Pods) == 1 {
			their, they = "its", "it conflicts"
		}
		return fmt.Sprintf("for %s: %s, or align %s seLinuxOptions.level (%s) with the Pods %s with", who, optOutClause([]string{g.Namespace}, optOut), their, quoteLevel(g.Value), they)
	}
	return ""
}

func groupPods(g policies.ConflictGroup) string {
	if len(g.Pods) == 1 {
		return g.Namespace + "/" + g.Pods[0]
	}
	value := g.Value
	if g.Property == controller.PropertyLabel {
		value = quoteLevel(g.Value)
	}
	return fmt.Sprintf("the %d Pods of namespace %s with %s %s", len(g.Pods), g.Namespace, g.Property, value)
}

// groupedSummaryLine counts groups and per-pod findings as findings, and says how many pairs the
// groups stand for, which is what the per-pair report would list.
func groupedSummaryLine(res *scanResult, failOn string) string {
	rep := res.grouped
	counts := map[string]int{}
	var pairs int64
	for _, g := range rep.Groups {
		counts[g.Severity]++
		pairs += g.Pairs
	}
	for _, f := range rep.Findings {
		counts[f.Severity]++
	}
	verdict := "passes"
	if exitCode(res, failOn) != exitOK {
		verdict = "fails"
	}
	return fmt.Sprintf("Summary: %s (%s, %s): %s of Pods standing for %s, %s about one Pod; %s; %s --fail-on %s",
		plural(len(rep.Groups)+len(rep.Findings), "finding"), plural(counts[policies.SeverityError], "error"), plural(counts[policies.SeverityWarning], "warning"),
		plural(len(rep.Groups), "group"), plural(int(pairs), "pair"), plural(len(rep.Findings), "finding"), diagnosticCount(rep.Diagnostics), verdict, failOn)
}
