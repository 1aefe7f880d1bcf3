// Package rego holds no Go code: its test runs the real conftest binary on the shipped examples, as
// the README's CI recipe does, and checks what conftest's text, JSON and SARIF outputs keep.
package rego

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

const examples = "../examples/manifests"

// conftest runs $CONFTEST (a path from the repository root or a command; make native-conftest
// sets bin/conftest, v0.71.1) in the repository root; the test is skipped without it, since go test ./... must not need the CLI.
func conftest(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := os.Getenv("CONFTEST")
	if bin == "" {
		t.Skip("CONFTEST is not set (make native-conftest runs this test with bin/conftest)")
	}
	var err error
	if strings.Contains(bin, "/") && !filepath.IsAbs(bin) {
		bin = filepath.Join("..", bin) // relative to the repository root
	}
	bin, err = exec.LookPath(bin)
	require.NoError(t, err)
	bin, err = filepath.Abs(bin)
	require.NoError(t, err)
	cmd := exec.Command(bin, append([]string{"test", "--combine", "-p", "rego/", "--no-color"}, args...)...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) && ee.ExitCode() == 1 {
		err = nil // findings: the examples have errors on purpose
	}
	require.NoError(t, err, "%s", out)
	return out
}

// subject is "SELINUX-00N: <Kind> <namespace>/<name> in <file>: <the finding's text>".
var subject = regexp.MustCompile(`^(SELINUX-00[1-6]): (\S+) ([^/ ]+)/(\S+) in (\S+): (.+)$`)

// objectsIn are the IDs ("Pod shop/web") of the objects in one file.
func objectsIn(t *testing.T, file string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", file))
	require.NoError(t, err)
	objs, err := cluster.Decode(file, data)
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, o := range objs {
		ids[o.ID()] = true
	}
	return ids
}

type jsonResult struct {
	Msg      string `json:"msg"`
	Metadata struct {
		Rule string `json:"rule"`
		Pod  struct {
			Namespace string `json:"namespace"`
			Name      string `json:"name"`
		} `json:"pod"`
	} `json:"metadata"`
}

// Every message names its own object and the file that holds it; JSON keeps the rule ID.
func TestConftestMessagesNameObjectAndFile(t *testing.T) {
	var checks []struct {
		Warnings []jsonResult `json:"warnings"`
		Failures []jsonResult `json:"failures"`
	}
	require.NoError(t, json.Unmarshal(conftest(t, "-o", "json", strings.TrimPrefix(examples, "../")), &checks))
	require.Len(t, checks, 1, "--combine: one check")
	results := append(append([]jsonResult{}, checks[0].Warnings...), checks[0].Failures...)
	require.Len(t, results, 13, "the examples' findings")
	for _, r := range results {
		m := subject.FindStringSubmatch(r.Msg)
		require.NotNil(t, m, "%q", r.Msg)
		require.Equal(t, m[1], r.Metadata.Rule, "the JSON output keeps the rule ID: %q", r.Msg)
		id := m[2] + " " + m[3] + "/" + m[4]
		ref := r.Metadata.Pod.Namespace + "/" + r.Metadata.Pod.Name
		if m[2] != "Pod" {
			ref = r.Metadata.Pod.Namespace + "/" + m[2] + "/" + m[4]
			require.Equal(t, m[2]+"/"+m[4], r.Metadata.Pod.Name, "%q", r.Msg)
		}
		require.Equal(t, m[3]+"/"+r.Metadata.Pod.Name, ref, "the subject is the finding's own Pod: %q", r.Msg)
		require.True(t, objectsIn(t, m[5])[id], "%s holds %s: %q", m[5], id, r.Msg)
	}
}

type sarifLog struct {
	Runs []struct {
		Results []struct {
			RuleID  string `json:"ruleId"`
			Level   string `json:"level"`
			Message struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func sarif(t *testing.T, args ...string) sarifLog {
	t.Helper()
	var log sarifLog
	require.NoError(t, json.Unmarshal(conftest(t, append(args, "-o", "sarif", strings.TrimPrefix(examples, "../"))...), &log))
	require.Len(t, log.Runs, 1)
	return log
}

// conftest names a SARIF rule "<package>/<deny|warn>": main/deny and main/warn by default; each
// result is placed on the file of its object (line 1: Rego sees no line numbers).
func TestConftestSARIFPlacesResultsOnFiles(t *testing.T) {
	log := sarif(t)
	require.Len(t, log.Runs[0].Results, 13)
	for _, r := range log.Runs[0].Results {
		require.Contains(t, []string{"main/deny", "main/warn"}, r.RuleID)
		m := subject.FindStringSubmatch(r.Message.Text)
		require.NotNil(t, m, "%q", r.Message.Text)
		require.Len(t, r.Locations, 1)
		require.Equal(t, m[5], r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "%q", r.Message.Text)
		require.Equal(t, 1, r.Locations[0].PhysicalLocation.Region.StartLine, "SARIF lines start at 1")
	}
}

// With -n 'SELINUX_*' (the per-rule packages in rego/rules) every SARIF rule is one rule ID and
// severity: SELINUX_00N/deny (errors) or SELINUX_00N/warn (warnings).
func TestConftestSARIFRuleIDsPerRule(t *testing.T) {
	log := sarif(t, "-n", "SELINUX_*")
	seen := map[string]int{}
	for _, r := range log.Runs[0].Results {
		if r.Level == "none" { // conftest's success/skip entries for a namespace without results
			continue
		}
		rule, set, ok := strings.Cut(r.RuleID, "/")
		require.True(t, ok, r.RuleID)
		require.True(t, strings.HasPrefix(r.Message.Text, strings.Replace(rule, "_", "-", 1)+": "), "%s: %q", r.RuleID, r.Message.Text)
		require.Equal(t, map[string]string{"deny": "error", "warn": "warning"}[set], r.Level, r.RuleID)
		seen[rule]++
	}
	require.Equal(t, map[string]int{"SELINUX_001": 4, "SELINUX_002": 2, "SELINUX_003": 1, "SELINUX_004": 1, "SELINUX_005": 3, "SELINUX_006": 2}, seen)
}
