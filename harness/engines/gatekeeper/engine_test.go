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

func clusters() int {
	if n, err := strconv.Atoi(os.Getenv("N")); err == nil {
		return n
	}
	return 1000
}

// Gatekeeper as shipped: templates with CEL run it; the Rego-first variant runs the Rego the same
// templates carry for Gatekeeper installs without the CEL driver.
func TestAgreesWithScenarios(t *testing.T) {
	for _, opts := range []Options{{}, {PreferRego: true}} {
		e := engine(t, opts)
		t.Run(e.Name(), func(t *testing.T) {
			unexpected, vanished, err := harness.AgreeOnScenarios(context.Background(), e, scenarioDir, divergencesFile)
			require.NoError(t, err)
			for _, d := range unexpected {
				t.Errorf("unexpected difference: %s", d)
			}
			for _, d := range vanished {
				t.Errorf("listed divergence no longer happens (remove it from %s): %+v", divergencesFile, d)
			}
		})
	}
}

func TestAgreesWithModelOnGeneratedClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("generated clusters take a while; the scenarios still run")
	}
	// Every generated cluster for Gatekeeper as shipped; a fifth of them for the Rego it falls back to.
	for _, c := range []struct {
		opts Options
		n    int
	}{{Options{}, clusters()}, {Options{PreferRego: true}, clusters() / 5}} {
		e := engine(t, c.opts)
		t.Run(e.Name(), func(t *testing.T) {
			cases, known := 0, map[string]int{}
			for seed := uint64(0); seed < uint64(c.n); seed++ {
				sc := harness.Generate(seed, harness.GenOptions{MaxPods: 12})
				r, err := harness.Run(context.Background(), e, sc)
				require.NoError(t, err, sc.Name)
				for _, d := range harness.Compare(r, e.Rules(), harness.WantFromModel(r)) {
					if class := e.KnownClass(r, d); class != "" {
						known[class]++
						continue
					}
					t.Errorf("seed %d (%s): %s", seed, sc.Profile.Name, d)
				}
				cases += len(r.Admits) + 1
			}
			t.Logf("%d generated clusters, %d cases per rule, known divergences by class: %v", c.n, cases, known)
		})
	}
}
