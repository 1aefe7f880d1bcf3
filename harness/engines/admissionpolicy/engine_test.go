package admissionpolicy

import (
	"context"
	"flag"
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/klog/v2"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

const (
	mapDir          = "../../../map"
	scenarioDir     = "../../scenarios"
	divergencesFile = "divergences.yaml"
)

var generated = flag.Int("clusters", envInt("N", 1000), "generated clusters to compare with the model")

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func TestMain(m *testing.M) {
	flag.Parse()
	// The plugins' informers log every sync; keep test output to the verdicts.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

var shared = New(mapDir)

// Every scenario, in Admit replay and in Audit, against its hand-written expectation; differences
// must be exactly the checked-in divergences.
func TestAgreesWithScenarios(t *testing.T) {
	harness.CheckScenarios(t, shared, scenarioDir, divergencesFile)
}

// Seeded random clusters against the model's own verdicts.
func TestAgreesWithModelOnGeneratedClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("generated clusters take a while; the scenarios still run")
	}
	evaluated, known := harness.CheckGenerated(t, shared, *generated, harness.PodOnlyKnownClass)
	t.Logf("%d generated clusters, %d cases per rule, known divergences by class: %v", *generated, evaluated, known)
}

func admitOne(t *testing.T, doc string, ns string, op string, old string) harness.Outcome {
	t.Helper()
	sc := &harness.Scenario{Name: "direct"}
	sc.Profile, _ = gatesDefault()
	prior := decodeAll(t, ns)
	obj := decodeAll(t, doc)[0]
	a := harness.Admission{Scenario: sc, Operation: op, Object: &obj, Prior: prior}
	if old != "" {
		o := decodeAll(t, old)[0]
		a.OldObject = &o
	}
	out, err := shared.Admit(context.Background(), a)
	require.NoError(t, err)
	return out
}

const recursiveNS = "apiVersion: v1\nkind: Namespace\nmetadata: {name: rec, labels: {selmount.io/change-policy: Recursive}}\n"

func pod(extra string) string {
	return "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: rec}\nspec:\n  containers: [{name: c, image: x}]\n" + extra
}

func TestOptOutSemantics(t *testing.T) {
	created := admitOne(t, pod(""), recursiveNS, policies.OperationCreate, "")
	require.NotNil(t, created.Object, "CREATE in an opted-out namespace is mutated")
	require.Equal(t, "Recursive", policyOf(created.Object))

	again := admitOne(t, string(created.Object.Raw), recursiveNS, policies.OperationCreate, "")
	require.Nil(t, again.Object, "a second admission of the mutated Pod changes nothing")

	updated := admitOne(t, pod(""), recursiveNS, policies.OperationUpdate, pod(""))
	require.Nil(t, updated.Object, "UPDATE is never mutated")
	require.Equal(t, []string{policies.RuleOptOut}, rulesOf(updated.Findings))

	explicit := admitOne(t, pod("  securityContext: {seLinuxChangePolicy: MountOption}\n"), recursiveNS, policies.OperationCreate, "")
	require.Nil(t, explicit.Object, "an explicit MountOption is kept")

	windows := admitOne(t, pod("  os: {name: windows}\n"), recursiveNS, policies.OperationCreate, "")
	require.Nil(t, windows.Object, "Windows Pods are untouched")

	nullPolicy := admitOne(t, pod("  securityContext: {seLinuxChangePolicy: null}\n"), recursiveNS, policies.OperationCreate, "")
	require.Equal(t, "Recursive", policyOf(nullPolicy.Object), "null counts as unset")
}

// overlays/cluster-wide against the model with the same scope, on generated clusters with
// SELinuxMount on (the overlay is for those) and on every such scenario.
func TestClusterWideOverlayAgreesWithModel(t *testing.T) {
	scope := policies.OptOutScope{ClusterWide: true, Excluded: ClusterWideExcluded}
	clusters, mutated, known := 0, 0, map[string]int{}
	check := func(sc *harness.Scenario) {
		sc.OptOut = scope
		r, err := harness.Run(context.Background(), shared, sc)
		require.NoError(t, err, sc.Name)
		for _, a := range r.Admits {
			if a.Got.Object != nil {
				mutated++
			}
		}
		for _, d := range harness.Compare(r, shared.Rules(), harness.WantFromModel(r)) {
			if class := harness.PodOnlyKnownClass(r, d); class != "" {
				known[class]++
				continue
			}
			t.Errorf("%s: %s", sc.Name, d)
		}
		clusters++
	}
	scs, err := harness.LoadScenarios(scenarioDir)
	require.NoError(t, err)
	for _, sc := range scs {
		if sc.Profile.Mount && sc.Profile.RWOP {
			check(sc)
		}
	}
	for seed := uint64(0); seed < uint64(*generated) && !testing.Short(); seed++ {
		if sc := harness.Generate(seed, harness.GenOptions{MaxPods: 12}); sc.Profile.Mount {
			check(sc)
		}
	}
	require.Positive(t, clusters)
	require.Positive(t, mutated)
	t.Logf("cluster-wide overlay: %d clusters, %d admissions mutated, known divergences %v", clusters, mutated, known)
}
