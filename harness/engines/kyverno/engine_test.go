package kyverno

import (
	"os"
	"strconv"
	"testing"

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
	harness.CheckScenarios(t, testEngine, scenarioDir, divergencesFile)
}

// Both modes on seeded random clusters, against the model itself; no difference is tolerated (the
// generator only draws release profiles, where the RWOP gate is on).
func TestAgreesWithModelOnGeneratedClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("generated clusters take a while; the scenarios still run")
	}
	cases, _ := harness.CheckGenerated(t, testEngine, clusters(), nil)
	t.Logf("%d generated clusters, %d cases per rule", clusters(), cases)
}

// Scenarios an engine once got wrong that the main corpus does not hold yet: here a Pod with
// seLinuxChangePolicy "", which the API server refuses as any unknown value, so no kubelet checks
// its labels (no SELINUX-003); the Pod record's policy is ” when unset too.
func TestAgreesWithRegressionScenarios(t *testing.T) {
	harness.CheckScenarios(t, testEngine, "../../testdata/regressions", "../../testdata/regressions/divergences.yaml")
}
