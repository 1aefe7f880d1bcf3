package gatekeeper

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/harness"
)

const (
	bundleDir       = "../../../gatekeeper"
	scenarioDir     = "../../scenarios"
	divergencesFile = "divergences.yaml"
)

func engine(t testing.TB, opts Options) *Engine {
	t.Helper()
	e, err := New(context.Background(), bundleDir, opts)
	require.NoError(t, err)
	return e
}

// clusters is 300 by default here: `make verify` (a CI step) runs this engine on 1,000 and fails on
// any difference outside the known classes; N=1000 runs them here too.
func clusters() int {
	if n, err := strconv.Atoi(os.Getenv("N")); err == nil {
		return n
	}
	return 300
}

// Gatekeeper as shipped: templates with CEL run it; the Rego-first variant runs the Rego the same
// templates carry for Gatekeeper installs without the CEL driver.
func TestAgreesWithScenarios(t *testing.T) {
	for _, opts := range []Options{{}, {PreferRego: true}} {
		e := engine(t, opts)
		t.Run(e.Name(), func(t *testing.T) {
			harness.CheckScenarios(t, e, scenarioDir, divergencesFile)
		})
	}
}

func TestAgreesWithModelOnGeneratedClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("generated clusters take a while; the scenarios still run")
	}
	// Every generated cluster for Gatekeeper as shipped; a third of them for the Rego it falls back to.
	for _, c := range []struct {
		opts Options
		n    int
	}{{Options{}, clusters()}, {Options{PreferRego: true}, clusters() / 3}} {
		e := engine(t, c.opts)
		t.Run(e.Name(), func(t *testing.T) {
			cases, known := harness.CheckGenerated(t, e, c.n, e.KnownClass)
			t.Logf("%d generated clusters, %d cases per rule, known divergences by class: %v", c.n, cases, known)
		})
	}
}
