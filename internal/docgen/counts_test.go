package docgen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/harness"
)

var regoTest = regexp.MustCompile(`(?m)^test_\w+`)

// regoTests counts the Rego unit tests (rules named test_…) in the files matching pattern.
func regoTests(t *testing.T, pattern string) int {
	files, err := filepath.Glob(filepath.Join(root, pattern))
	require.NoError(t, err)
	require.NotEmpty(t, files, pattern)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		n += len(regoTest.FindAll(data, -1))
	}
	return n
}

// gatorCases counts the cases of the generated gator suite (gatekeeper/tests/suite.yaml).
func gatorCases(t *testing.T) int {
	data, err := os.ReadFile(filepath.Join(root, "gatekeeper", "tests", "suite.yaml"))
	require.NoError(t, err)
	var suite struct {
		Tests []struct {
			Cases []json.RawMessage `json:"cases"`
		} `json:"tests"`
	}
	require.NoError(t, yaml.Unmarshal(data, &suite))
	n := 0
	for _, tc := range suite.Tests {
		n += len(tc.Cases)
	}
	require.NotZero(t, n)
	return n
}

// The counts the READMEs state as current must be the counts of the tree, so that adding a test or
// a scenario without updating them fails here instead of leaving a stale claim.
func TestReadmeCountsAreCurrent(t *testing.T) {
	scs, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
	require.NoError(t, err)
	claims := map[string][]string{
		"README.md": {
			fmt.Sprintf("%d Rego unit tests (`conftest verify -p rego/`)", regoTests(t, "rego/tests/*.rego")),
			fmt.Sprintf("%d Rego unit tests of the entry point", regoTests(t, "gatekeeper/src/*_test.rego")),
			fmt.Sprintf("`gator verify` on %d generated cases", gatorCases(t)),
			fmt.Sprintf("replays the %d scenarios", len(scs)),
			fmt.Sprintf("of the %d scenarios on the version", len(scs)),
		},
		"upstream/README.md": {
			fmt.Sprintf("TestAgreement: %d scenarios", len(scs)),
		},
	}
	for file, want := range claims {
		data, err := os.ReadFile(filepath.Join(root, file))
		require.NoError(t, err)
		for _, w := range want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s must state the current count: %q", file, w)
			}
		}
	}
}
