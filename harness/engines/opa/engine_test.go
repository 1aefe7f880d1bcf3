package opa

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
)

const (
	regoDir         = "../../../rego"
	scenarioDir     = "../../scenarios"
	divergencesFile = "divergences.yaml"
)

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := New(context.Background(), regoDir)
	require.NoError(t, err)
	return e
}

func clusters() int {
	if n, err := strconv.Atoi(os.Getenv("N")); err == nil {
		return n
	}
	return 1000
}

func TestAgreesWithScenarios(t *testing.T) {
	harness.CheckScenarios(t, engine(t), scenarioDir, divergencesFile)
}

func TestAgreesWithModelOnGeneratedClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("generated clusters take a while; the scenarios still run")
	}
	cases, _ := harness.CheckGenerated(t, engine(t), clusters(), nil)
	t.Logf("%d generated clusters, %d cases per rule", clusters(), cases)
}
