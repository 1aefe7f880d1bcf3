package kyverno

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

var allReports = flag.Bool("all-reports", false, "run TestAllPolicyReports: the PolicyReports of every scenario (about an hour)")

// TestAllPolicyReports replays every scenario with the reports controller running and compares each
// final state's PolicyReports with the model's audit: kyverno/ on a 1.37 server, overlays/v1.36 on a
// 1.36 one. It checks docs/e2e-kyverno-reports.md. Opt-in (-all-reports, `make e2e-kyverno-reports`).
func TestAllPolicyReports(t *testing.T) {
	if !*allReports {
		t.Skip("opt-in, about an hour: make e2e-kyverno-reports")
	}
	e := start(t)
	scs, v136s, rep := replayedScenarios(t, e.root)
	e.waitServing(t, "kyverno/")
	e.startReports(t)
	if _, err := Install(e.kubectl, e.root, "kyverno/"); err != nil {
		t.Fatal(err)
	}
	replayEach(t, e, rep, scs, reportsPass, false, true)
	replayOverlayV136(t, rep, v136s, true)
	checkDoc(t, filepath.Join(e.root, "docs", "e2e-kyverno-reports.md"), rep, AllReports{rep}, "make e2e-kyverno-reports-update")
}

func TestAllReportsMarkdown(t *testing.T) {
	rep := &Report{Release: "v1.19.1", Skipped: map[string]string{"gate-x": "profile `v1.35`"}, Scenarios: []ScenarioResult{
		{Name: "a", Bundle: reportsPass, Pods: []PodResult{{Pod: "ns/p", Operation: "CREATE"}}, Audit: &AuditResult{Got: []string{"k"}, Want: []string{"k"}}},
		{Name: "b", Bundle: v136 + reportsSuffix, Pods: []PodResult{{Pod: "ns/q", Operation: "CREATE"}}, Audit: &AuditResult{Differences: []string{"SELINUX-001 ns/q: Kyverno only"}}},
	}}
	var b strings.Builder
	if err := (AllReports{rep}).Markdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Kyverno PolicyReports on every scenario",
		"| `kyverno/ with the reports controller` | 1 | 1 | 1 |",
		"2 scenarios: 1 agree (1 rule and Pod pairs reported in all), 1 differ.",
		"| `kyverno/overlays/v1.36 with the reports controller` | b | SELINUX-001 ns/q: Kyverno only |",
		"- gate-x: profile `v1.35`",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in\n%s", want, b.String())
		}
	}
	if got := rep.Unexplained(); len(got) != 1 || !strings.Contains(got[0], "b audit") {
		t.Errorf("Unexplained = %v, want b's audit difference", got)
	}
}
