package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func scanSARIF(t *testing.T, stdin string, paths ...string) sarifLog {
	t.Helper()
	code, out, errOut := runCmd(t, stdin, append([]string{"scan", "-o", "sarif", "--fail-on", "none"}, paths...)...)
	require.Equal(t, exitOK, code, errOut)
	var log sarifLog
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	return log
}

func TestSARIFDocument(t *testing.T) {
	for _, mode := range [][]string{nil, {"--pairs"}} {
		t.Run(strings.Join(append([]string{"mode"}, mode...), " "), func(t *testing.T) { checkSARIFDocument(t, mode) })
	}
}

// In both modes every result is located at the manifests of the Pods it is about; a group is
// located at each of its Pods.
func checkSARIFDocument(t *testing.T, mode []string) {
	manifests := filepath.Join(examples, "manifests")
	log := scanSARIF(t, "", append(mode, manifests)...)
	assert.Equal(t, "2.1.0", log.Version)
	assert.Equal(t, "https://json.schemastore.org/sarif-2.1.0.json", log.Schema)
	require.Len(t, log.Runs, 1)
	driver := log.Runs[0].Tool.Driver
	assert.Equal(t, "selmount", driver.Name)
	assert.NotEmpty(t, driver.InformationURI)
	require.Len(t, driver.Rules, len(policies.Catalogue()))
	for i, r := range policies.Catalogue() {
		got := driver.Rules[i]
		assert.Equal(t, r.ID, got.ID)
		assert.Regexp(t, `^[A-Z][A-Za-z0-9]+$`, got.Name)
		assert.Equal(t, r.Title, got.ShortDescription.Text)
		assert.Equal(t, r.Description, got.FullDescription.Text)
		assert.Equal(t, r.Severity, got.DefaultConfiguration.Level)
	}

	results := log.Runs[0].Results
	require.NotEmpty(t, results)
	rules := map[string]bool{}
	for _, r := range results {
		rules[r.RuleID] = true
		require.NotNil(t, r.RuleIndex)
		assert.Equal(t, r.RuleID, driver.Rules[*r.RuleIndex].ID)
		assert.Contains(t, []string{"error", "warning"}, r.Level)
		assert.NotEmpty(t, r.Message.Text)
		assert.False(t, strings.HasPrefix(r.Message.Text, r.RuleID), "the rule ID is not repeated in the message")
		require.NotEmpty(t, r.Locations)
		if _, grouped := r.PartialFingerprints["selmountGroup/v1"]; !grouped {
			require.Len(t, r.Locations, 1)
			assert.NotEmpty(t, r.PartialFingerprints["selmountFinding/v1"])
		} else {
			assert.Equal(t, r.Properties["pods"], float64(len(r.Locations)))
		}
		for _, l := range r.Locations {
			loc := l.PhysicalLocation
			require.NotNil(t, loc, r.RuleID)
			assert.True(t, strings.HasPrefix(loc.ArtifactLocation.URI, "../../examples/manifests/"), loc.ArtifactLocation.URI)
			require.NotNil(t, loc.Region)
			assertLineOpensObject(t, loc.ArtifactLocation.URI, loc.Region.StartLine)
		}
	}
	assert.Len(t, rules, 6, "every rule fires on the example manifests")
}

// The blog's case: the refused backup Pod is located in shop.yaml at its own document, and the
// app it clashes with is a related location.
func TestSARIFLocatesPodAndOtherPod(t *testing.T) {
	log := scanSARIF(t, "", "--pairs", filepath.Join(examples, "manifests"))
	for _, r := range log.Runs[0].Results {
		if r.RuleID != policies.RuleWillBreak || r.Properties["pod"] != "shop/backup" {
			continue
		}
		loc := r.Locations[0].PhysicalLocation
		assert.Equal(t, "../../examples/manifests/shop.yaml", loc.ArtifactLocation.URI)
		assert.Equal(t, "kind: Pod", lineOf(t, loc.ArtifactLocation.URI, loc.Region.StartLine+1))
		require.Len(t, r.RelatedLocations, 1)
		assert.Equal(t, "shop/Deployment/storefront", r.RelatedLocations[0].LogicalLocations[0].FullyQualifiedName)
		assert.Equal(t, "kind: Deployment", lineOf(t, loc.ArtifactLocation.URI, r.RelatedLocations[0].PhysicalLocation.Region.StartLine+1))
		return
	}
	t.Fatal("no SELINUX-006 result for shop/backup")
}

func TestSARIFListItemsInClusterDump(t *testing.T) {
	log := scanSARIF(t, "", filepath.Join(examples, "cluster-dump.yaml"))
	require.NotEmpty(t, log.Runs[0].Results)
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		require.NotNil(t, loc.Region)
		assert.Equal(t, "- apiVersion: v1", lineOf(t, loc.ArtifactLocation.URI, loc.Region.StartLine))
		assert.Equal(t, "  kind: Pod", lineOf(t, loc.ArtifactLocation.URI, loc.Region.StartLine+1))
	}
}

func TestSARIFKustomizeAndStdinLocations(t *testing.T) {
	log := scanSARIF(t, "", filepath.Join(examples, "kustomize"))
	require.NotEmpty(t, log.Runs[0].Results)
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		require.NotNil(t, loc)
		assert.Equal(t, "../../examples/kustomize/kustomization.yaml", loc.ArtifactLocation.URI)
		assert.Nil(t, loc.Region, "kustomize output lines are no lines of the kustomization")
	}

	stdin, err := os.ReadFile(filepath.Join(examples, "manifests", "media.yaml"))
	require.NoError(t, err)
	log = scanSARIF(t, string(stdin), "-")
	require.NotEmpty(t, log.Runs[0].Results)
	for _, r := range log.Runs[0].Results {
		assert.Nil(t, r.Locations[0].PhysicalLocation)
		assert.NotEmpty(t, r.Locations[0].LogicalLocations)
	}
}

func TestSARIFNoFindingsHasEmptyResults(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "--allow-empty", "-o", "sarif", "-")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, `"results": []`)
}

func TestFileURI(t *testing.T) {
	assert.Equal(t, "examples/a%20b.yaml", fileURI("examples/a b.yaml"))
	assert.Equal(t, "./c:d.yaml", fileURI("c:d.yaml"))
	assert.Equal(t, "/abs/x.yaml", fileURI("/abs/x.yaml"))
}

func TestRuleName(t *testing.T) {
	assert.Equal(t, "VolumeSeLinuxChangePolicyConflict", ruleName("Volume seLinuxChangePolicy conflict"))
	assert.Equal(t, "PodWillBeStuckInContainerCreating", ruleName("Pod will be stuck in ContainerCreating"))
}

func assertLineOpensObject(t *testing.T, uri string, line int) {
	t.Helper()
	assert.Regexp(t, `^(- )?(apiVersion|kind):`, lineOf(t, uri, line))
}

func lineOf(t *testing.T, path string, line int) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	require.True(t, line >= 1 && line <= len(lines), "line %d of %s", line, path)
	return lines[line-1]
}

// Diagnostics that --fail-on counts reach SARIF as tool execution notifications, so that a SARIF
// reader sees why a scan without results failed; info diagnostics stay out.
func TestSARIFCarriesDiagnostics(t *testing.T) {
	dir := writeTree(t, map[string]string{"ns.yaml": nsYAML + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "package.json": `{"name": "x"}`})
	code, out, _ := runCmd(t, "", "scan", "--fail-on", "warning", "-o", "sarif", dir)
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, `"toolExecutionNotifications"`)
	assert.Contains(t, out, `"id": "skipped-file"`)
	assert.Contains(t, out, "package.json")
	assert.NotContains(t, out, "skipped-object")
}
