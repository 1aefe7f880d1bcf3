package gatekeeper

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/stretchr/testify/require"
)

// The Rego unit tests of gatekeeper/src, run on the library as the templates embed it (rego/lib
// with the parameters profile source instead of conftest's), with OPA's own test runner.
func TestGatekeeperRegoUnitTests(t *testing.T) {
	paths, err := filepath.Glob("../../../rego/lib/selmount/*.rego")
	require.NoError(t, err)
	var kept []string
	for _, p := range paths {
		if filepath.Base(p) != "profile.rego" {
			kept = append(kept, p)
		}
	}
	kept = append(kept, "../../../rego/tests/fixtures_test.rego", "../../../gatekeeper/src")
	results, err := tester.Run(context.Background(), kept...)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(results), 8, "the Gatekeeper Rego suite shrank")
	for _, r := range results {
		if !r.Pass() {
			t.Errorf("%s.%s: %s", r.Package, r.Name, r.String())
		}
	}
}
