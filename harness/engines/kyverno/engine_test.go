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
