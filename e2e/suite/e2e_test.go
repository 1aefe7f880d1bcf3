package suite

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/e2e/report"
	"github.com/selmount/selmount/harness"
)

var update = flag.Bool("update", false, "rewrite docs/e2e.md instead of comparing it")

// replayOn is where scenarios of each profile are replayed: the version whose defaults the profile
// models, with the bundle map/README.md tells that version's users to apply.
var replayOn = map[string]struct{ version, bundle string }{
	"v1.35": {"1.35", "map/overlays/v1beta1"},
	"v1.36": {"1.36", "map/overlays/v1.36"},
	"v1.37": {"1.37", "map"},
}

// gateOverrides are the profiles that override a feature gate: each gets a server of its version with
// --feature-gates set as the profile says, and its scenarios are replayed with the bundle map/README.md
// tells users of that combination (why: the report's "Gate overrides" section).
var gateOverrides = map[string]struct{ bundle, why string }{
	"v1.37,SELinuxMount=false": {"map/overlays/v1.36",
		"map/README.md: `map/` is for SELinuxMount on, `overlays/v1.36` for SELinuxMount off (MountOption refused, only ReadWriteOncePod-only claims eligible), which is this server"},
	"v1.36,SELinuxMount=true": {"map",
		"map/README.md: `map/` is for \"1.36+ with SELinuxMount on\""},
	"v1.35,SELinuxChangePolicy=false": {"map/overlays/v1beta1",
		"map/README.md: `overlays/v1beta1` is the 1.35 bundle (MutatingAdmissionPolicy v1beta1); SELinuxMount is off, as it assumes"},
	"v1.35,SELinuxMount=true,SELinuxMountReadWriteOncePod=false": {"map/overlays/v1beta1",
		"map/README.md: `overlays/v1beta1` is the only 1.35 bundle; it builds on `overlays/v1.36` (SELinuxMount off) and the README names no bundle for 1.35 with SELinuxMount on"},
}

// denyBundle is replayed too, on the scenarios of the profile it builds on, checking refusals.
const denyBundle, denyVersion = "map/overlays/deny", "1.37"

// badInputVersion is where the bad-input requests are sent: the version map/ and the deny overlay are for.
const badInputVersion = "1.37"

// scenarioTimeout bounds one scenario's requests and cleanup.
const scenarioTimeout = 2 * time.Minute

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kube-apiserver per Kubernetes version")
	}
	mod, err := cluster.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(mod)
	apiserver := cluster.Binary(t, "kube-apiserver", cluster.KubeAPIServerPkg)
	kubectlBin := cluster.Binary(t, "kubectl", cluster.KubectlPkg)
	selmount, _ := cluster.Selmount(t)
	scenarios, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	rep := &report.Report{KubernetesModule: "k8s.io/kubernetes v1.37.2", Skipped: map[string]string{}}
	byVersion, byProfile := map[string][]*harness.Scenario{}, map[string][]*harness.Scenario{}
	for _, sc := range scenarios {
		if why, ok := replay.NotAClusterState[sc.Name]; ok {
			rep.Skipped[sc.Name] = why
			continue
		}
		on, ok := replayOn[sc.Profile.Name]
		if _, gate := gateOverrides[sc.Profile.Name]; !ok && !gate {
			rep.Skipped[sc.Name] = "profile `" + sc.Profile.Name + "` overrides a feature gate; no server here runs that combination"
			continue
		}
		if !ok {
			byProfile[sc.Profile.Name] = append(byProfile[sc.Profile.Name], sc)
			continue
		}
		byVersion[on.version] = append(byVersion[on.version], sc)
	}
	engines := engineManifests(t, root)
	for _, v := range cluster.Versions {
		t.Run(v.Name, func(t *testing.T) {
			s := cluster.StartAPIServer(t, apiserver, cluster.StartEtcd(t), v.Options)
			k := bundles.Kubectl{Bin: kubectlBin, Kubeconfig: s.Kubeconfig}
			clients, err := replay.NewClients(s.URL, s.Creds.CertFile, s.Creds.Token)
			if err != nil {
				t.Fatal(err)
			}
			clients.Audit, clients.ServerLog = replay.NewAuditLog(s.AuditLog), s.LogFile
			rep.Versions = append(rep.Versions, report.Version{Name: v.Name, Flags: v.Flags()})
			for _, b := range bundles.MapBundles {
				if v.ServesLaterAPIs() && !b.Claimed(v.Name) {
					continue // the server serves APIs this version lacks: only its own bundles mean anything
				}
				if applyBundle(t, k, root, rep, v, b) {
					replayBundle(t, clients, rep, v.Name, b.Dir, byVersion[v.Name])
				}
				if err := bundles.Remove(k, root, b); err != nil {
					t.Fatal(err)
				}
			}
			applyEngineBundles(t, k, root, rep, v, engines)
			replayWebhook(t, selmount, k, clients, root, rep, v.Name, v.Profile, false, byVersion[v.Name])
			if v.Name == denyVersion {
				replayWebhook(t, selmount, k, clients, root, rep, v.Name, v.Profile, true, byVersion[v.Name])
			}
		})
	}
	for _, profile := range sortedKeys(byProfile) {
		t.Run(profile, func(t *testing.T) {
			replayGateOverride(t, apiserver, kubectlBin, selmount, root, rep, profile, byProfile[profile])
		})
	}
	checkDoc(t, filepath.Join(root, "docs", "e2e.md"), rep)
}

// replayBundle replays the scenarios meant for this version and bundle, if any.
func replayBundle(t *testing.T, c *replay.Clients, rep *report.Report, version, bundle string, scs []*harness.Scenario) {
	denies := bundle == denyBundle && version == denyVersion
	if !denies && replayOn["v"+version].bundle != bundle {
		return
	}
	replayScenarios(t, c, rep, version, bundle, denies, scs)
	if version != badInputVersion {
		return
	}
	// The bad-input cases are a handful of scenarios' worth of requests.
	ctx, cancel := context.WithTimeout(context.Background(), 5*scenarioTimeout)
	defer cancel()
	rows, err := c.BadInputs(ctx, version, bundle, denies)
	if err != nil {
		t.Fatalf("bad input on %s %s: %v", version, bundle, err)
	}
	if len(rows) == 0 {
		t.Errorf("no bad-input case ran on %s %s", version, bundle)
	}
	rep.BadInputs = append(rep.BadInputs, rows...)
}

// replayScenarios waits for the bundle's policies and replays scs, comparing each with the model.
func replayScenarios(t *testing.T, c *replay.Clients, rep *report.Report, version, bundle string, denies bool, scs []*harness.Scenario) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(len(scs)+1)*scenarioTimeout)
	defer cancel()
	if err := c.WaitForPolicies(ctx); err != nil {
		t.Fatalf("%s on %s: %v", bundle, version, err)
	}
	pol, err := c.LoadPolicies(ctx)
	if err != nil {
		t.Fatalf("%s on %s: %v", bundle, version, err)
	}
	c.Policies = pol
	for _, sc := range scs {
		res, err := c.Scenario(ctx, sc, version, bundle, denies)
		if err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		rep.Replays = append(rep.Replays, res)
		if len(res.Pods) == 0 && len(res.Refused) == 0 {
			t.Errorf("%s: no Pod admission was compared", sc.Name)
		}
	}
}

// checkDoc compares docs/e2e.md with this run, or rewrites it with -update.
func checkDoc(t *testing.T, path string, rep *report.Report) {
	report.CheckDoc(t, path, rep, *update, "make e2e-update")
}
