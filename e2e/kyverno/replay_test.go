package kyverno

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/e2e/report"
	"github.com/selmount/selmount/harness"
)

var update = flag.Bool("update", false, "rewrite docs/e2e-kyverno.md instead of comparing it")

// scenarioTimeout bounds one scenario's requests, reports and cleanup.
const scenarioTimeout = 2 * time.Minute

// bundlesReplayed are the README's two 1.37 bundles and whether each refuses (Deny).
// The audit (PolicyReports) is compared in a third pass, with kyverno/ (overlays/enforce's policies
// differ only in their validationActions) and the reports controller running: it aggregates each
// admission report into the Pod's PolicyReport and deletes it, so the first pass, which reads the
// admission reports, runs without it.
var bundlesReplayed = []struct {
	dir, label     string
	enforce, audit bool
}{
	{"kyverno/", "kyverno/", false, false},
	{"kyverno/overlays/enforce", "kyverno/overlays/enforce", true, false},
	{"kyverno/", reportsPass, false, true},
}

// reportsPass labels the pass with the reports controller in the report.
const reportsPass = "kyverno/" + reportsSuffix

const reportsSuffix = " with the reports controller"

// TestReplay replays every 1.37 scenario through Kyverno's admission controller with kyverno/ and
// with overlays/enforce installed as the README says, compares each Pod with the model, and checks
// docs/e2e-kyverno.md.
func TestReplay(t *testing.T) {
	e := start(t)
	scs, v136s, rep := replayedScenarios(t, e.root)
	e.waitServing(t, "kyverno/")
	var reports *Controller
	for _, b := range bundlesReplayed {
		if b.audit && reports == nil {
			reports = e.startReports(t)
		}
		if _, err := Install(e.kubectl, e.root, b.dir); err != nil {
			t.Fatal(err)
		}
		list := scs
		if b.audit {
			var err error
			if list, err = AuditSample(context.Background(), scs); err != nil {
				t.Fatal(err)
			}
		}
		replayEach(t, e, rep, list, b.label, b.enforce, b.audit)
		if _, err := Run(e.kubectl, e.root, "delete", "-k", b.dir, "--wait=true"); err != nil {
			t.Fatal(err)
		}
	}
	replayOverlayV136(t, rep, v136s, false)
	checkDoc(t, filepath.Join(e.root, "docs", "e2e-kyverno.md"), rep, rep, "make e2e-kyverno-update")
}

// replayedScenarios are the scenarios kyverno/ is replayed with (v1.37) and those overlays/v1.36 is
// (v1.36), and a report naming the rest with the reason each is left out.
func replayedScenarios(t *testing.T, root string) (v137, v136 []*harness.Scenario, rep *Report) {
	t.Helper()
	scenarios, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	rep = &Report{Release: "v1.19.1", Skipped: map[string]string{}}
	for _, sc := range scenarios {
		switch {
		case replay.NotAClusterState[sc.Name] != "":
			rep.Skipped[sc.Name] = replay.NotAClusterState[sc.Name]
		case sc.Profile.Name == v136Profile:
			v136 = append(v136, sc)
		case sc.Profile.Name != replayedProfile:
			rep.Skipped[sc.Name] = "profile `" + sc.Profile.Name + "`: no bundle is for it as written"
		default:
			v137 = append(v137, sc)
		}
	}
	if len(v137) == 0 || len(v136) == 0 {
		t.Fatalf("%d %s and %d %s scenarios: each bundle needs some", len(v137), replayedProfile, len(v136), v136Profile)
	}
	return v137, v136, rep
}

// replayOverlayV136 replays the v1.36 scenarios through overlays/v1.36 on a server of its own, with
// the reports controller and an audit of each when audit is set.
func replayOverlayV136(t *testing.T, rep *Report, scs []*harness.Scenario, audit bool) {
	e := startVia(t, v136Server, 0)
	e.waitServing(t, v136)
	label := v136
	if audit {
		e.startReports(t)
		label = v136 + reportsSuffix
	}
	if _, err := Install(e.kubectl, e.root, v136); err != nil {
		t.Fatal(err)
	}
	replayEach(t, e, rep, scs, label, false, audit)
}

// replayEach replays scs in order through the installed bundle (label in the report) and adds each
// result to rep; enforce and audit are Replay's.
func replayEach(t *testing.T, e *env, rep *Report, scs []*harness.Scenario, label string, enforce, audit bool) {
	t.Helper()
	for _, sc := range scs {
		sctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
		res, err := Replay(sctx, e.clients, sc, label, enforce, audit)
		cancel()
		if err != nil {
			t.Fatalf("%s with %s: %v", sc.Name, label, err)
		}
		if len(res.Pods) == 0 {
			t.Errorf("%s with %s: no Pod admission was compared", sc.Name, label)
		}
		rep.Scenarios = append(rep.Scenarios, res)
	}
}

// checkDoc fails on unexplained differences and compares the doc at path (doc: rep rendered) with
// the run, or rewrites it with -update (regenerate: the make target that does).
func checkDoc(t *testing.T, path string, rep *Report, doc report.Document, regenerate string) {
	rep.Explained = explained
	for _, u := range rep.Unexplained() {
		t.Errorf("unexplained difference: %s", u)
	}
	report.CheckDoc(t, path, doc, *update, regenerate)
}

// explained are the known differences from the model (Key: reason).
var explained = map[string]string{
	"kyverno/ unbound-pvc-in-dump-with-pvs-no-findings etl/transform CREATE":                 replay.ReasonUnboundDumpClaim,
	"kyverno/overlays/enforce unbound-pvc-in-dump-with-pvs-no-findings etl/transform CREATE": replay.ReasonUnboundDumpClaim,
}
