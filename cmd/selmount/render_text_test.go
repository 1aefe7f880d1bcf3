package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTextGroupsByVolume(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "--pairs", filepath.Join(examples, "manifests"))
	require.Equal(t, exitFindings, code)
	// Sections come in order: volumes (sorted), pods, summary.
	iAnalytics := strings.Index(out, "\nVolume pvc/analytics/warehouse\n")
	iMedia := strings.Index(out, "\nVolume pvc/media/library\n")
	iShop := strings.Index(out, "\nVolume pvc/shop/catalog-images\n")
	iPods := strings.Index(out, "\nPods\n")
	iSummary := strings.Index(out, "\nSummary: ")
	for _, i := range []int{iAnalytics, iMedia, iShop, iPods, iSummary} {
		require.Positive(t, i, out)
	}
	assert.True(t, iAnalytics < iMedia && iMedia < iShop && iShop < iPods && iPods < iSummary, out)

	shop := out[iShop:iPods]
	// Both directions of a conflict are one row.
	assert.Equal(t, 1, strings.Count(shop, "SELINUX-001"), shop)
	assert.Contains(t, shop, `shop/Deployment/storefront <->  shop/backup`)
	assert.Contains(t, shop, `SELinuxLabel ":::s0:c123,c456" vs ""`)
	assert.Contains(t, shop, "fix: label namespace shop with selmount.io/change-policy=Recursive to opt out")
	assert.Contains(t, shop, `give shop/backup seLinuxOptions.level "s0:c123,c456" like shop/Deployment/storefront`)

	pods := out[iPods:iSummary]
	assert.Contains(t, pods, "SELINUX-004  legacy/cms-6d4cf56db6-7xk2p")
	assert.Contains(t, pods, "SELINUX-005  windows/iis")
	assert.Contains(t, out, "Summary: 13 findings (5 errors, 8 warnings), 6 directed conflicts, 0 diagnostics; fails --fail-on error")
}

func TestTextColumnsAlign(t *testing.T) {
	_, out, _ := runCmd(t, "", "scan", filepath.Join(examples, "cluster-dump.yaml"))
	var header string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  SEVERITY") {
			header = l
			continue
		}
		if header != "" && (strings.HasPrefix(l, "  warning") || strings.HasPrefix(l, "  error")) {
			assert.Equal(t, strings.Index(header, "RULE"), strings.Index(l, "SELINUX-"), l)
		}
	}
}

func TestTextMarksAssumedAndDiagnostics(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "--fail-on", "none", filepath.Join(examples, "kustomize"))
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "warning*  SELINUX-001")
	assert.Contains(t, out, "* assumed: the StorageClass or CSIDriver is not in the input")
	assert.Contains(t, out, "passes --fail-on none")

	in := "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: gone, namespace: ns}\nspec: {volumeName: nowhere}\n---\n" +
		"apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: gone}}]\n---\n" +
		"apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
	_, out, _ = runCmd(t, in, "scan", "-")
	assert.Contains(t, out, "\nDiagnostics (input selmount could not use)\n")
	assert.Contains(t, out, "unresolved-volume  Pod ns/p")
	assert.Contains(t, out, "skipped-object")
	assert.Contains(t, out, "2 diagnostics")
}

// A scan failed by diagnostics alone says so on its summary line.
func TestTextSummaryCountsDiagnosticSeverities(t *testing.T) {
	dir := writeTree(t, map[string]string{"ns.yaml": nsYAML, "package.json": `{"name": "x"}`})
	code, out, _ := runCmd(t, "", "scan", "--fail-on", "warning", dir)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, "0 findings (0 errors, 0 warnings): 0 groups of Pods standing for 0 pairs, 0 findings about one Pod; 1 diagnostic (0 errors, 1 warning); fails --fail-on warning")
	code, out, _ = runCmd(t, "", "scan", "--pairs", "--fail-on", "warning", dir)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, "0 findings (0 errors, 0 warnings), 0 directed conflicts, 1 diagnostic (0 errors, 1 warning); fails --fail-on warning")
	assert.Contains(t, out, "warning   skipped-file")
}
