package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

// The default report has a row per group: on the shop volume each of the two Pods is its own class,
// so the conflict reads from both sides, each naming the other Pod of its namespace.
func TestGroupedTextExample(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", filepath.Join(examples, "manifests"))
	require.Equal(t, exitFindings, code)
	iShop := strings.Index(out, "\nVolume pvc/shop/catalog-images\n")
	iPods := strings.Index(out, "\nPods\n")
	require.Positive(t, iShop, out)
	require.Greater(t, iPods, iShop, out)
	shop := out[iShop:iPods]
	assert.Equal(t, 2, strings.Count(shop, "SELINUX-001"), shop)
	assert.Contains(t, shop, `SELinuxLabel ":::s0:c123,c456" of pod Deployment/storefront conflicts with pod backup with SELinuxLabel ""`)
	assert.Contains(t, shop, "error     SELINUX-006  shop/backup")
	assert.Contains(t, shop, "fix: for shop/backup: label namespace shop with selmount.io/change-policy=Recursive to opt out")
	assert.Contains(t, out, "Summary: 13 findings (5 errors, 8 warnings): 8 groups of Pods standing for 8 pairs, 5 findings about one Pod; 0 diagnostics; fails --fail-on error")
}

// The grouped JSON contract: groups hold the pair rules, findings the rules about one Pod.
func TestGroupedJSONContract(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "-o", "json", "--fail-on", "none", filepath.Join(examples, "cluster-dump.yaml"))
	require.Equal(t, exitOK, code)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.ElementsMatch(t, []string{"profile", "groups", "findings", "diagnostics"}, keys(doc))
	var groups []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["groups"], &groups))
	require.NotEmpty(t, groups)
	rules := map[string]bool{}
	for _, g := range groups {
		for _, k := range []string{"rule", "severity", "volume", "namespace", "value", "pods", "others", "pairs", "message"} {
			assert.Contains(t, g, k)
		}
		for k := range g {
			assert.Contains(t, []string{"rule", "severity", "volume", "property", "namespace", "value", "pods", "others", "pairs", "latent", "assumed", "message"}, k)
		}
		var rule string
		require.NoError(t, json.Unmarshal(g["rule"], &rule))
		rules[rule] = true
		var others []map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(g["others"], &others))
		require.NotEmpty(t, others)
		for _, o := range others {
			for k := range o {
				assert.Contains(t, []string{"namespace", "value", "pods", "pairs"}, k)
			}
		}
	}
	assert.Equal(t, map[string]bool{policies.RuleLabelConflict: true, policies.RulePolicyConflict: true, policies.RuleWillBreak: true}, rules)
	var findings []policies.Finding
	require.NoError(t, json.Unmarshal(doc["findings"], &findings))
	for _, f := range findings {
		assert.Nil(t, f.OtherPod, "pair rules are grouped: %s", f.Rule)
	}
}

// Both reports reach the same verdict on every input: the grouped one drops no finding's severity.
func TestGroupedAndPairsReachTheSameExitCode(t *testing.T) {
	inputs, err := filepath.Glob("../../harness/scenarios/*/objects.yaml")
	require.NoError(t, err)
	inputs = append(inputs, examples)
	for _, in := range inputs {
		for _, failOn := range []string{"warning", "error"} {
			pairs, _, errOut := runCmd(t, "", "scan", "--pairs", "--fail-on", failOn, "-o", "json", in)
			if pairs == exitUsage && strings.Contains(errOut, "duplicate object") {
				continue
			}
			grouped, _, _ := runCmd(t, "", "scan", "--fail-on", failOn, "-o", "json", in)
			assert.Equal(t, pairs, grouped, "%s --fail-on %s", in, failOn)
		}
	}
}
