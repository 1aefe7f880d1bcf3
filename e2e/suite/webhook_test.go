package suite

import (
	"os"
	"testing"
	"time"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/e2e/report"
	"github.com/selmount/selmount/harness"
)

// webhookBundle and webhookDenyBundle name `selmount webhook` in the report, as one more
// installation the scenarios are replayed through: the shipped webhook configurations
// (webhook/base/webhooks.yaml) pointed by url at the command on loopback, with --profile set to
// the scenarios' profile, and with --deny, which refuses error findings as overlays/deny does.
const (
	webhookBundle     = "webhook"
	webhookDenyBundle = "webhook --deny"
)

// webhookDivergences are the scenarios where the webhook, on a real server, and the model part, with
// why; key "<bundle> <scenario>".
var webhookDivergences = map[string]string{
	webhookBundle + " list-document-cluster-dump":                         replay.ReasonDumpUIDs,
	webhookDenyBundle + " list-document-cluster-dump":                     replay.ReasonDumpUIDs,
	webhookBundle + " storage-claimref-names-other-claim":                 replay.ReasonDumpUIDs,
	webhookDenyBundle + " storage-claimref-names-other-claim":             replay.ReasonDumpUIDs,
	webhookBundle + " unbound-pvc-in-dump-with-pvs-no-findings":           replay.ReasonUnboundDumpClaim,
	webhookDenyBundle + " unbound-pvc-in-dump-with-pvs-no-findings":       replay.ReasonUnboundDumpClaim,
	webhookBundle + " no-csidriver-in-input-assumes-support":              replay.ReasonNoClass,
	webhookDenyBundle + " no-csidriver-in-input-assumes-support":          replay.ReasonNoClass,
	webhookDenyBundle + " same-node-kubelet-compares-with-first-pod-only": "under --deny the webhook refuses resizer (SELINUX-006 error), so it is never stored and forum-canary meets no Pod with resizer's label; the model replays a scenario's admissions without refusals, so forum-canary still conflicts with resizer (SELINUX-001)",
}

// replayWebhook registers a `selmount webhook` of the scenarios' profile with the server behind c and
// replays scs through it, then unregisters and stops it.
func replayWebhook(t *testing.T, selmount string, k bundles.Kubectl, c *replay.Clients, root string, rep *report.Report,
	version, profile string, deny bool, scs []*harness.Scenario) {
	if len(scs) == 0 {
		return
	}
	start := time.Now()
	args, name := []string{"--profile", profile}, webhookBundle
	if deny {
		args, name = append(args, "--deny"), webhookDenyBundle
	}
	wh := bundles.StartWebhook(t, selmount, k.Kubeconfig, args...)
	defer wh.Stop()
	// kubectl -f splits its argument at commas, which gate-override test names hold: a folder of its own.
	dir, err := os.MkdirTemp("", "selmount-webhook-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	manifest, err := wh.Register(k, root, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := bundles.Unregister(k, manifest); err != nil {
			t.Error(err)
		}
	}()
	c.Webhook = bundles.WebhookName
	defer func() { c.Webhook = "" }()
	replayScenarios(t, c, rep, version, name, deny, scs)
	if rep.Reasons == nil {
		rep.Reasons = map[string]string{}
	}
	for _, res := range rep.Replays {
		why, ok := webhookDivergences[name+" "+res.Name]
		if res.Bundle != name || res.Version != version || !ok {
			continue
		}
		if res.Agrees() {
			t.Errorf("%s %s agrees now: drop its reason from webhookDivergences", name, res.Name)
		}
		rep.Reasons[name+" "+res.Name] = why
	}
	t.Logf("%s on %s: %d scenarios in %s", name, version, len(scs), time.Since(start).Round(time.Second))
}
