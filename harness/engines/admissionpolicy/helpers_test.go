package admissionpolicy

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

func gatesDefault() (gates.Profile, error) { return gates.Parse("") }

func decodeAll(t *testing.T, doc string) []cluster.Object {
	t.Helper()
	objs, err := cluster.Decode("test.yaml", []byte(doc))
	require.NoError(t, err)
	return objs
}

func policyOf(o *cluster.Object) string {
	if o == nil {
		return ""
	}
	if p := cluster.PodFromObject(o); p != nil && p.ChangePolicy() != nil {
		return string(*p.ChangePolicy())
	}
	return ""
}

func rulesOf(fs []policies.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}
