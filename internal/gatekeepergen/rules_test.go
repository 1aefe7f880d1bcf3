package gatekeepergen

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func TestEveryCatalogueRuleHasATemplate(t *testing.T) {
	ts, err := templates(policies.Catalogue())
	require.NoError(t, err)
	require.Len(t, ts, len(policies.Catalogue()))
	for _, tpl := range ts {
		require.NotEmpty(t, tpl.Kind, tpl.Rule.ID)
	}
}

// A rule added to the catalogue without a Gatekeeper packaging must stop the generator, not ship a
// template with an empty kind.
func TestUnknownRuleFailsLoudly(t *testing.T) {
	fake := append(policies.Catalogue(), policies.Rule{ID: "SELINUX-099"})
	_, err := templates(fake)
	require.ErrorContains(t, err, "SELINUX-099")
	require.ErrorContains(t, err, "internal/gatekeepergen/rules.go")
}
