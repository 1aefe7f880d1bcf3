package admissionpolicy

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apiserver/pkg/admission"
	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/gates"
)

//go:generate go test -run TestGoldenCasesAreCurrent -update .

var update = flag.Bool("update", false, "rewrite map/tests from the scenarios")

const goldenDir = mapDir + "/tests"

// The golden cases under map/tests are generated from the scenarios (those the base bundle serves:
// SELinuxMount and its prerequisite gate on) and must match what the generator writes now.
func TestGoldenCasesAreCurrent(t *testing.T) {
	scs, err := harness.LoadScenarios(scenarioDir)
	require.NoError(t, err)
	want := map[string][]byte{}
	for _, sc := range scs {
		if !sc.Profile.Mount || !sc.Profile.RWOP {
			continue
		}
		r, err := harness.Run(context.Background(), harness.ModelEngine{}, sc)
		require.NoError(t, err)
		data, ok, err := GoldenFile(r, shared.Rules())
		require.NoError(t, err, sc.Name)
		if ok {
			want[sc.Name+".yaml"] = data
		}
	}
	require.NotEmpty(t, want)
	if *update {
		require.NoError(t, os.RemoveAll(goldenDir))
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		for name, data := range want {
			require.NoError(t, os.WriteFile(filepath.Join(goldenDir, name), data, 0o644))
		}
	}
	entries, err := os.ReadDir(goldenDir)
	require.NoError(t, err, "run: go generate ./harness/engines/admissionpolicy")
	for _, e := range entries {
		_, expected := want[e.Name()]
		require.True(t, expected, "%s/%s has no scenario: run go generate ./harness/engines/admissionpolicy", goldenDir, e.Name())
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(goldenDir, name))
		require.NoError(t, err, "missing %s: run go generate ./harness/engines/admissionpolicy", name)
		require.True(t, bytes.Equal(data, got), "%s is stale: run go generate ./harness/engines/admissionpolicy", name)
	}
}

// Every golden case, run through the admission plugins with only its request and namespace.
func TestGoldenCasesPass(t *testing.T) {
	files, err := filepath.Glob(goldenDir + "/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	profile, _ := gates.Parse("")
	ps, err := shared.plugins(&harness.Scenario{Profile: profile})
	require.NoError(t, err)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var cases []GoldenCase
		require.NoError(t, yaml.Unmarshal(data, &cases), f)
		for _, c := range cases {
			n++
			runGolden(t, ps, c)
		}
	}
	t.Logf("%d golden cases in %d files", n, len(files))
}

func runGolden(t *testing.T, ps *plugins, c GoldenCase) {
	t.Helper()
	pod, old := &corev1.Pod{}, (*corev1.Pod)(nil)
	require.NoError(t, json.Unmarshal(c.Object, pod), c.Name)
	if len(c.OldObject) > 0 {
		old = &corev1.Pod{}
		require.NoError(t, json.Unmarshal(c.OldObject, old), c.Name)
	}
	ns := &corev1.Namespace{}
	require.NoError(t, json.Unmarshal(c.Namespace, ns), c.Name)
	ps.namespaces.set(map[string]*corev1.Namespace{ns.Name: ns})
	op := admission.Operation(c.Operation)
	ctx := context.Background()
	require.NoError(t, ps.mutating.Admit(ctx, attributes(pod, old, op, c.Subresource), objectInterfaces), c.Name)
	require.Equal(t, c.Expect.SELinuxChangePolicy, changePolicy(pod), "%s: seLinuxChangePolicy", c.Name)
	fs, evaluated, err := ps.validate(ctx, pod, old, op, c.Subresource, nil, pod.Namespace+"/"+pod.Name)
	require.NoError(t, err, c.Name)
	require.Len(t, evaluated, 3, "%s: both validating policies ran", c.Name)
	got := []GoldenFinding{}
	for _, f := range fs {
		got = append(got, GoldenFinding{Rule: f.Rule, Severity: f.Severity, Volume: f.Volume, Property: f.Property, Values: f.Values})
	}
	sortGolden(got)
	want := append([]GoldenFinding{}, c.Expect.Findings...)
	sortGolden(want)
	require.Equal(t, want, got, c.Name)
}

func sortGolden(fs []GoldenFinding) {
	sort.Slice(fs, func(i, j int) bool {
		return strings.Join(append([]string{fs[i].Rule, fs[i].Volume}, fs[i].Values...), "\x00") < strings.Join(append([]string{fs[j].Rule, fs[j].Volume}, fs[j].Values...), "\x00")
	})
}
