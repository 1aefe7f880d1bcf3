package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func scanJSON(t *testing.T, paths ...string) policies.Report {
	t.Helper()
	code, out, errOut := runCmd(t, "", append([]string{"scan", "--pairs", "-o", "json", "--fail-on", "none"}, paths...)...)
	require.Equal(t, exitOK, code, errOut)
	var rep policies.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	return rep
}

type findingKey struct{ rule, severity, pod, other string }

func findingKeys(rep policies.Report) map[findingKey]policies.Finding {
	out := map[findingKey]policies.Finding{}
	for _, f := range rep.Findings {
		other := ""
		if f.OtherPod != nil {
			other = f.OtherPod.Key()
		}
		out[findingKey{f.Rule, f.Severity, f.Pod.Key(), other}] = f
	}
	return out
}

// The example manifests show every rule under the default profile; this keeps them doing so.
func TestExampleManifestsShowEveryRule(t *testing.T) {
	rep := scanJSON(t, filepath.Join(examples, "manifests"))
	got := findingKeys(rep)
	for _, want := range []findingKey{
		{"SELINUX-001", "warning", "shop/Deployment/storefront", "shop/backup"},
		{"SELINUX-002", "warning", "shop/backup", "shop/Deployment/storefront"},
		{"SELINUX-006", "error", "shop/backup", "shop/Deployment/storefront"},
		{"SELINUX-001", "warning", "media/thumbnailer", "media/transcoder"},
		{"SELINUX-006", "error", "media/thumbnailer", "media/transcoder"},
		{"SELINUX-003", "error", "analytics/etl", ""},
		{"SELINUX-004", "warning", "legacy/cms-6d4cf56db6-7xk2p", ""},
		{"SELINUX-005", "error", "batch/nightly-report", ""},
		{"SELINUX-005", "error", "windows/iis", ""},
		{"SELINUX-005", "warning", "intranet/wiki", ""},
	} {
		assert.Contains(t, got, want)
	}
	for _, f := range rep.Findings {
		assert.NotEqual(t, "legacy/Deployment/cms", f.Pod.Key(), "the Deployment stands for its Pods, which the opt-out gives Recursive: %s", f.Message)
		assert.False(t, f.Assumed, "the manifests ship their StorageClass and CSIDriver: %s", f.Message)
		assert.False(t, f.Latent, "manifests are not scheduled: %s", f.Message)
	}
	assert.Empty(t, rep.Diagnostics)
}

func TestExampleClusterDump(t *testing.T) {
	rep := scanJSON(t, filepath.Join(examples, "cluster-dump.yaml"))
	got := findingKeys(rep)
	// Different nodes today: a latent warning; the same node: the pod is stuck.
	latent, ok := got[findingKey{"SELINUX-006", "warning", "audit/ledger-exporter-0", "finance/dashboard-7d9f8b6c5-x2x9q"}]
	require.True(t, ok)
	assert.True(t, latent.Latent)
	assert.Contains(t, got, findingKey{"SELINUX-006", "error", "finance/virus-scan-9f7c6d5b4-p8r2t", "finance/uploader-6b8c9d7f4-kq7mz"})
	// Two PVs with one CSI volumeHandle are one volume across namespaces; the event hides the other pod.
	var crossNS int
	for _, c := range rep.Conflicts {
		if c.Pod.Namespace != c.OtherPod.Namespace {
			crossNS++
			assert.Equal(t, "kubernetes.io/csi/cephfs.csi.ceph.com^reports-subvolume", c.Volume)
			assert.Contains(t, c.Event, "conflicts with another pod")
			assert.NotContains(t, c.Event, c.OtherPod.Name)
		}
	}
	assert.Equal(t, 2, crossNS)
	// The Succeeded migration pod runs nothing and is ignored.
	for _, f := range rep.Findings {
		assert.NotContains(t, f.Pod.Name+" "+f.Message, "uploads-migrate")
	}
	assert.Empty(t, rep.Diagnostics)
}

func TestExampleKustomize(t *testing.T) {
	rep := scanJSON(t, filepath.Join(examples, "kustomize"))
	got := findingKeys(rep)
	f, ok := got[findingKey{"SELINUX-006", "error", "reports-staging/CronJob/staging-reports-export", "reports-staging/Deployment/staging-reports-api"}]
	require.True(t, ok, "kustomize's namespace and namePrefix reach the findings")
	assert.True(t, f.Assumed, "the overlay ships no StorageClass")
}

// The examples folder scans as one input: no object is defined twice. (Mixing the dump, which has
// PersistentVolumes, with manifests whose claims are unbound gives unresolved-volume diagnostics;
// that is the model's dump semantics, so this only checks that the input itself is valid.)
func TestExamplesHaveNoDuplicates(t *testing.T) {
	rep := scanJSON(t, examples)
	assert.NotEmpty(t, rep.Findings)
}

// Each format renders the examples and keeps the exit code of the findings.
func TestExamplesEveryFormat(t *testing.T) {
	for _, format := range formats {
		code, out, errOut := runCmd(t, "", "scan", "-o", format, examples)
		assert.Equal(t, exitFindings, code, "%s: %s", format, errOut)
		assert.NotEmpty(t, out, format)
		assert.Empty(t, errOut, format)
	}
}
