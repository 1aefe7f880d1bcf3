package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

// The reproducer and the README's promise: no human-readable output names a pod of another
// namespace. Text lines (OTHER POD column, fix lines) never name both pods of a cross-namespace pair,
// and a SARIF result (message, related and logical locations) never names a pod of a namespace other
// than its own. Checked on every scenario and example; JSON otherPod and the metric may name them.
func TestHumanOutputNeverNamesAPodOfAnotherNamespace(t *testing.T) {
	inputs, err := filepath.Glob("../../harness/scenarios/*/objects.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, inputs)
	inputs = append(inputs, filepath.Join(examples, "manifests"), filepath.Join(examples, "cluster-dump.yaml"))
	crossPairs := 0
	for _, in := range inputs {
		code, js, errOut := runCmd(t, "", "scan", "--pairs", "--fail-on", "none", "-o", "json", in)
		if code == exitUsage && strings.Contains(errOut, "duplicate object") {
			continue // a scenario replaying updates of one object: no scan input
		}
		var rep policies.Report
		require.NoError(t, json.Unmarshal([]byte(js), &rep), "%s: %s", in, errOut)
		namespaces := map[string][]string{} // namespace → pod keys seen in findings
		var pairs []crossPair
		for _, f := range rep.Findings {
			namespaces[f.Pod.Namespace] = append(namespaces[f.Pod.Namespace], f.Pod.Key())
			if f.OtherPod != nil {
				namespaces[f.OtherPod.Namespace] = append(namespaces[f.OtherPod.Namespace], f.OtherPod.Key())
				if f.OtherPod.Namespace != f.Pod.Namespace {
					pairs = append(pairs, crossPair{f.Pod, *f.OtherPod})
				}
			}
		}
		crossPairs += len(pairs)

		for _, mode := range []string{"--pairs", "--pairs=false"} {
			checkCensored(t, in, mode, pairs, namespaces)
		}
	}
	assert.Positive(t, crossPairs, "the corpus must hold cross-namespace conflicts for this test to mean anything")
}

type crossPair struct{ pod, other policies.PodRef }

// checkCensored reads the text and SARIF outputs of one mode. A group names its Pods by name within
// its namespace: a line or result that names a Pod of another namespace, by key or by name next to
// the namespace, fails.
func checkCensored(t *testing.T, in, mode string, pairs []crossPair, namespaces map[string][]string) {
	t.Helper()
	{
		_, text, _ := runCmd(t, "", "scan", mode, "--fail-on", "none", in)
		for _, line := range strings.Split(text, "\n") {
			for _, p := range pairs {
				assert.False(t, names(line, p.pod.Key()) && names(line, p.other.Key()),
					"%s %s: a line names %s and %s of another namespace:\n%s", in, mode, p.pod.Key(), p.other.Key(), line)
				ownNS := strings.Contains(line, " "+p.pod.Namespace+"/") || strings.Contains(line, " "+p.pod.Namespace+":")
				assert.False(t, ownNS && names(line, "pod "+p.other.Name) && p.other.Name != p.pod.Name,
					"%s %s: a line about %s names pod %s of another namespace:\n%s", in, mode, p.pod.Namespace, p.other.Name, line)
			}
		}

		_, sarif, _ := runCmd(t, "", "scan", mode, "--fail-on", "none", "-o", "sarif", in)
		var log struct {
			Runs []struct {
				Results []json.RawMessage `json:"results"`
			} `json:"runs"`
		}
		require.NoError(t, json.Unmarshal([]byte(sarif), &log))
		for _, raw := range log.Runs[0].Results {
			var r struct {
				Properties struct {
					Pod       string `json:"pod"`
					Namespace string `json:"namespace"`
				} `json:"properties"`
			}
			require.NoError(t, json.Unmarshal(raw, &r))
			ns, _, _ := strings.Cut(r.Properties.Pod, "/")
			if r.Properties.Namespace != "" {
				ns = r.Properties.Namespace
			}
			for other, keys := range namespaces {
				if other == ns {
					continue
				}
				for _, k := range keys {
					assert.False(t, names(string(raw), k), "%s %s: SARIF result about %s names %s:\n%s", in, mode, ns, k, raw)
				}
			}
		}
	}
}

// names tells whether text mentions a pod key as a whole word (not inside a longer name or a path).
func names(text, key string) bool {
	return regexp.MustCompile(`(^|[\s"'(])` + regexp.QuoteMeta(key) + `($|[\s"'),;:])`).MatchString(text)
}
