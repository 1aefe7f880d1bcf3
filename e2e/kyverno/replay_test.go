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
var bundlesReplayed = []struct {
	dir     string
	enforce bool
}{{"kyverno/", false}, {"kyverno/overlays/enforce", true}}

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
		case sc.Profile.Name != replayedProfile:
		case notAClusterState[sc.Name] != "":
			rep.Skipped[sc.Name] = notAClusterState[sc.Name]
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
	for _, b := range bundlesReplayed {
		if _, err := Install(e.kubectl, e.root, b.dir); err != nil {
			t.Fatal(err)
		}
		for _, sc := range scs {
			sctx, cancel := context.WithTimeout(context.Background(), scenarioTimeout)
			res, err := Replay(sctx, e.clients, sc, b.dir, b.enforce)
			cancel()
			if err != nil {
				t.Fatalf("%s with %s: %v", sc.Name, b.dir, err)
			}
			if len(res.Pods) == 0 {
				t.Errorf("%s with %s: no Pod admission was compared", sc.Name, b.dir)
			}
			rep.Scenarios = append(rep.Scenarios, res)
		}
		if _, err := Run(e.kubectl, e.root, "delete", "-k", b.dir, "--wait=true"); err != nil {
			t.Fatal(err)
		}
	}
	checkDoc(t, filepath.Join(e.root, "docs", "e2e-kyverno.md"), rep)
}

// notAClusterState are scenarios no API server stores (as e2e/suite lists them), with why.
var notAClusterState = map[string]string{
	"rwo-plus-rwop-pv-v136-not-eligible": "a PV and a claim with ReadWriteOncePod next to another access mode, which API validation refuses",
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
