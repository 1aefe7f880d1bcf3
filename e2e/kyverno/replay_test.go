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

	"github.com/selmount/selmount/e2e/cluster"
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
const reportsPass = "kyverno/ with the reports controller"

// TestReplay replays every 1.37 scenario through Kyverno's admission controller with kyverno/ and
// with overlays/enforce installed as the README says, compares each Pod with the model, and checks
// docs/e2e-kyverno.md.
func TestReplay(t *testing.T) {
	e := start(t)
	scenarios, err := harness.LoadScenarios(filepath.Join(e.root, "harness", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{Release: "v1.19.1", Skipped: map[string]string{}}
	var scs []*harness.Scenario
	for _, sc := range scenarios {
		switch {
		case replay.NotAClusterState[sc.Name] != "":
			rep.Skipped[sc.Name] = replay.NotAClusterState[sc.Name]
		case sc.Profile.Name == v136Profile: // replayOverlayV136
		case sc.Profile.Name != replayedProfile:
			rep.Skipped[sc.Name] = "profile `" + sc.Profile.Name + "`: no bundle is for it as written"
		default:
			scs = append(scs, sc)
		}
	}
	if len(scs) == 0 {
		t.Fatalf("no %s scenario", replayedProfile)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	if err := WaitServing(ctx, e.kubectl, e.root, "kyverno/", e.clients.Typed, e.controller); err != nil {
		t.Fatalf("%v\n%s", err, cluster.Tail(e.controller.LogFile, 20))
	}
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
			if list, err = AuditSample(ctx, scs); err != nil {
				t.Fatal(err)
			}
		}
		for _, sc := range list {
			sctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
			res, err := Replay(sctx, e.clients, sc, b.label, b.enforce, b.audit)
			cancel()
			if err != nil {
				t.Fatalf("%s with %s: %v", sc.Name, b.label, err)
			}
			if len(res.Pods) == 0 {
				t.Errorf("%s with %s: no Pod admission was compared", sc.Name, b.label)
			}
			rep.Scenarios = append(rep.Scenarios, res)
		}
		if _, err := Run(e.kubectl, e.root, "delete", "-k", b.dir, "--wait=true"); err != nil {
			t.Fatal(err)
		}
	}
	replayOverlayV136(t, rep, scenarios)
	checkDoc(t, filepath.Join(e.root, "docs", "e2e-kyverno.md"), rep)
}

// replayOverlayV136 replays the v1.36 scenarios through overlays/v1.36 on a server of its own.
func replayOverlayV136(t *testing.T, rep *Report, scenarios []*harness.Scenario) {
	var scs []*harness.Scenario
	for _, sc := range scenarios {
		if sc.Profile.Name == v136Profile && replay.NotAClusterState[sc.Name] == "" {
			scs = append(scs, sc)
		}
	}
	if len(scs) == 0 {
		t.Fatalf("no %s scenario", v136Profile)
	}
	e := startVia(t, v136Server, 0)
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	if err := WaitServing(ctx, e.kubectl, e.root, v136, e.clients.Typed, e.controller); err != nil {
		t.Fatalf("%v\n%s", err, cluster.Tail(e.controller.LogFile, 20))
	}
	if _, err := Install(e.kubectl, e.root, v136); err != nil {
		t.Fatal(err)
	}
	for _, sc := range scs {
		sctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
		res, err := Replay(sctx, e.clients, sc, v136, false, false)
		cancel()
		if err != nil {
			t.Fatalf("%s with %s: %v", sc.Name, v136, err)
		}
		if len(res.Pods) == 0 {
			t.Errorf("%s with %s: no Pod admission was compared", sc.Name, v136)
		}
		rep.Scenarios = append(rep.Scenarios, res)
	}
}

// checkDoc fails on unexplained differences and compares docs/e2e-kyverno.md with the run, or
// rewrites it with -update.
func checkDoc(t *testing.T, path string, rep *Report) {
	rep.Explained = explained
	for _, u := range rep.Unexplained() {
		t.Errorf("unexplained difference: %s", u)
	}
	report.CheckDoc(t, path, rep, *update, "make e2e-kyverno-update")
}

// explained are the known differences from the model (Key: reason).
var explained = map[string]string{
	"kyverno/ unbound-pvc-in-dump-with-pvs-no-findings etl/transform CREATE":                 replay.ReasonUnboundDumpClaim,
	"kyverno/overlays/enforce unbound-pvc-in-dump-with-pvs-no-findings etl/transform CREATE": replay.ReasonUnboundDumpClaim,
}
