package opa

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/stretchr/testify/require"
)

// The native Rego unit tests (rego/**/*_test.rego), run with OPA's own test runner as `opa test rego/`
// does, so that `go test ./...` covers them without an extra CLI.
func TestRegoUnitTests(t *testing.T) {
	results, err := tester.Run(context.Background(), regoDir)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(results), 70, "the Rego suite shrank")
	for _, r := range results {
		if !r.Pass() {
			t.Errorf("%s.%s: %s", r.Package, r.Name, r.String())
		}
	}
}
