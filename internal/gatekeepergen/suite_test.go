package gatekeepergen

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// The gator suite is signal, not bulk: a case with violations also checks that each one names the
// reviewed object, and a case without any appears at most once per scenario and constraint.
func TestSuiteCasesCarryInformation(t *testing.T) {
	files, err := Files(root)
	require.NoError(t, err)
	var suite struct {
		Tests []struct {
			Name  string `json:"name"`
			Cases []struct {
				Name       string           `json:"name"`
				Assertions []map[string]any `json:"assertions"`
			} `json:"cases"`
		} `json:"tests"`
	}
	require.NoError(t, yaml.Unmarshal(files["gatekeeper/tests/suite.yaml"], &suite))
	violating := 0
	for _, test := range suite.Tests {
		passes := map[string]string{} // scenario -> its case without violations
		for _, c := range test.Cases {
			require.NotEmpty(t, c.Assertions, c.Name)
			want := c.Assertions[0]["violations"].(float64)
			_, hasMessage := c.Assertions[0]["message"]
			require.False(t, hasMessage, "%s: the first assertion counts every violation", c.Name)
			if want == 0 {
				require.Len(t, c.Assertions, 1, c.Name)
				scenario, _, _ := strings.Cut(c.Name, " #")
				require.Empty(t, passes[scenario], "%s %s: a second case without violations (%s)", test.Name, c.Name, passes[scenario])
				passes[scenario] = c.Name
				continue
			}
			violating++
			require.Len(t, c.Assertions, 2, c.Name)
			require.Equal(t, want, c.Assertions[1]["violations"], c.Name)
			pod := strings.SplitN(c.Name, " ", 3)[2] // "<namespace>/<name>"
			ns, name, _ := strings.Cut(pod, "/")
			if kind, workload, ok := strings.Cut(name, "/"); ok {
				name = workload
				require.Contains(t, c.Assertions[1]["message"], kind+" ", c.Name)
			}
			require.Contains(t, c.Assertions[1]["message"], ns+"/"+strings.ReplaceAll(name, ".", `\.`)+": ", c.Name)
		}
	}
	require.NotZero(t, violating)
}
