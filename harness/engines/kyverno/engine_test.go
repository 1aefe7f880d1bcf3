package kyverno

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
)

const (
	kyvernoDir      = "../../../kyverno"
	scenarioDir     = "../../scenarios"
	divergencesFile = "divergences.yaml"
)

// one engine for the package's tests: compiling the bundle takes a moment.
var testEngine = New(kyvernoDir)

func clusters() int {
	if n, err := strconv.Atoi(os.Getenv("N")); err == nil {
		return n
	}
	return 1000
}

func TestAgreesWithScenarios(t *testing.T) {
	unexpected, vanished, err := harness.AgreeOnScenarios(context.Background(), testEngine, scenarioDir, divergencesFile)
	require.NoError(t, err)
	for _, d := range unexpected {
		t.Errorf("unexpected difference: %s", d)
	}
	for _, d := range vanished {
		t.Errorf("listed divergence no longer happens (remove it from %s): %+v", divergencesFile, d)
	}
}

// Both modes on seeded random clusters, against the model itself; no difference is tolerated (the
// generator only draws release profiles, where the RWOP gate is on).
func TestAgreesWithModelOnGeneratedClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("generated clusters take a while; the scenarios still run")
	}
	cases := 0
	for seed := uint64(0); seed < uint64(clusters()); seed++ {
		sc := harness.Generate(seed, harness.GenOptions{MaxPods: 12})
		r, err := harness.Run(context.Background(), testEngine, sc)
		require.NoError(t, err, sc.Name)
		for _, d := range harness.Compare(r, testEngine.Rules(), harness.WantFromModel(r)) {
			t.Errorf("seed %d (%s): %s", seed, sc.Profile.Name, d)
		}
		cases += len(r.Admits) + 1
	}
	t.Logf("%d generated clusters, %d cases per rule", clusters(), cases)
}
