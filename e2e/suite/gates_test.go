package suite

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/cluster"
	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/e2e/report"
	"github.com/selmount/selmount/harness"
)

// replayGateOverride starts a server of the profile's version with the profile's gates, applies the
// bundle gateOverrides names for it and replays the profile's scenarios, then through a `selmount
// webhook` of that profile. A server that refuses the
// gates keeps its scenarios in "Not replayed", with the server's words.
func replayGateOverride(t *testing.T, apiserver, kubectlBin, selmount, root string, rep *report.Report, profile string, scs []*harness.Scenario) {
	v, err := cluster.WithGates(profile)
	if err != nil {
		t.Fatal(err)
	}
	choice := gateOverrides[profile]
	s, err := cluster.Start(t, apiserver, cluster.StartEtcd(t), v.Options)
	if err != nil {
		why := "kube-apiserver refuses `" + strings.Join(v.Flags(), " ") + "`: " + cluster.Refusal(err)
		for _, sc := range scs {
			rep.Skipped[sc.Name] = why
		}
		return
	}
	rep.Versions = append(rep.Versions, report.Version{Name: v.Name, Flags: v.Flags(), Bundle: choice.bundle, Why: choice.why})
	k := bundles.Kubectl{Bin: kubectlBin, Kubeconfig: s.Kubeconfig}
	clients, err := replay.NewClients(s.URL, s.Creds.CertFile, s.Creds.Token)
	if err != nil {
		t.Fatal(err)
	}
	clients.Audit, clients.ServerLog = replay.NewAuditLog(s.AuditLog), s.LogFile
	clients.DropsChangePolicy = slices.Contains(v.Options.FeatureGates, "SELinuxChangePolicy=false")
	// The README's choice for this server: it must be accepted.
	if !applyBundle(t, k, root, rep, v, bundles.Bundle{Dir: choice.bundle, Claims: []string{v.Name}}) {
		return
	}
	replayScenarios(t, clients, rep, v.Name, choice.bundle, false, scs)
	if err := bundles.Remove(k, root, bundles.Bundle{Dir: choice.bundle, Claims: []string{v.Name}}); err != nil {
		t.Fatal(err)
	}
	replayWebhook(t, selmount, k, clients, root, rep, v.Name, profile, false, scs)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
