package gatekeeper

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/e2e/report"
	"github.com/selmount/selmount/harness"
)

var update = flag.Bool("update", false, "rewrite docs/e2e-gatekeeper.md instead of comparing it")

// replayed are the bundles replayed, with the kustomization gatekeeper/README.md's commands apply,
// the server version each is for, and the profile of the scenarios replayed through it. Audit is
// compared once per profile: the deny overlay's constraints audit the same Rego.
var replayed = []struct {
	bundle, server, profile string
	deny, audit             bool
}{
	{"gatekeeper/", "1.37", "v1.37", false, true},
	{"gatekeeper/overlays/deny", "1.37", "v1.37", true, false},
	{"gatekeeper/overlays/v1.36", "1.36", "v1.36", false, true},
}

// scenarioTimeout bounds one scenario's requests, settle waits and cleanup.
const scenarioTimeout = 2 * time.Minute

// TestReplay replays every v1.37 scenario through Gatekeeper's webhooks, for gatekeeper/ and the
// deny overlay each on a fresh server, and compares each Pod admission with the model.
func TestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver and Gatekeeper's manager")
	}
	// Skipped as a whole without the manager: the report of no replay would not match the document.
	managerBinary(t)
	mod, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(filepath.Dir(mod))
	scenarios, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	known, err := LoadKnown(filepath.Join(root, "harness", "engines", "gatekeeper", "divergences.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{Skipped: map[string]string{}}
	byProfile := map[string][]*harness.Scenario{}
	for _, b := range replayed {
		byProfile[b.profile] = nil
	}
	for _, sc := range scenarios {
		if why, ok := replay.NotAClusterState[sc.Name]; ok {
			rep.Skipped[sc.Name] = why
			continue
		}
		if _, ok := byProfile[sc.Profile.Name]; !ok {
			rep.Skipped[sc.Name] = "profile `" + sc.Profile.Name + "`: no bundle is for it as written (a constraint's `parameters.profile` can say it)"
			continue
		}
		byProfile[sc.Profile.Name] = append(byProfile[sc.Profile.Name], sc)
	}
	for _, b := range replayed {
		scs := byProfile[b.profile]
		t.Run(strings.TrimSuffix(b.bundle, "/"), func(t *testing.T) {
			every := quietAudit
			if b.audit {
				every = auditInterval
			}
			e := startGatekeeper(t, b.server, every)
			rep.Release = e.release
			e.installBundle(t, "gatekeeper/README.md", b.bundle)
			barrier := e.installBarrier(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(scs)+1)*scenarioTimeout)
			defer cancel()
			if err := WaitReady(ctx, e.clients); err != nil {
				t.Fatal(err)
			}
			run := Run{Bundle: b.bundle, Server: b.server, Profile: b.profile}
			for _, sc := range scs {
				res, aud, refused, err := Replay(ctx, e.clients, sc, b.deny, b.audit, known, barrier)
				if err != nil {
					t.Fatalf("%s: %v", sc.Name, err)
				}
				run.Results = append(run.Results, res...)
				if aud != nil {
					run.Audits = append(run.Audits, *aud)
					if len(aud.Differences) > 0 && aud.Known == "" {
						t.Errorf("%s audit: %v", sc.Name, aud.Differences)
					}
				}
				for _, r := range refused {
					run.Refused = append(run.Refused, sc.Name+": "+r)
					t.Errorf("%s: the server refused an object the scenario only sets up: %s", sc.Name, r)
				}
				for _, r := range res {
					switch {
					case len(r.Differences) > 0 && r.Known == "":
						t.Errorf("%s %s: %v\n  server said: %q", sc.Name, r.Sent, r.Differences, r.Texts)
					case len(r.Differences) == 0 && FoundReason(b.deny, sc.Name, r.Pod) != "":
						t.Errorf("%s %s: listed in Found, but agrees with the model now", sc.Name, r.Pod)
					}
				}
			}
			if len(run.Results) == 0 {
				t.Error("no Pod admission was compared")
			}
			rep.Runs = append(rep.Runs, run)
		})
	}
	checkDoc(t, filepath.Join(root, "docs", "e2e-gatekeeper.md"), rep)
}

// checkDoc compares the report with path, or rewrites it with -update.
func checkDoc(t *testing.T, path string, rep *Report) {
	report.CheckDoc(t, path, rep, *update, "make e2e-gatekeeper-update")
}
