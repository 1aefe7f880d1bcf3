package admissionpolicy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Rule IDs are read with three digits, so SELINUX-010 would parse; an ID the catalogue lacks is an
// error rather than a finding of an unknown rule.
func TestFindingsNameCatalogueRules(t *testing.T) {
	warning := `Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-warnings' with binding 'selmount-selinux-warnings': `
	fs, _, err := findingsOf([]string{warning + `SELINUX-005: namespace label selmount.io/change-policy="recursive" is neither Recursive nor MountOption`}, nil, nil, "ns/p")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	require.Equal(t, "SELINUX-005", fs[0].Rule)

	_, _, err = findingsOf([]string{warning + `SELINUX-010: something new`}, nil, nil, "ns/p")
	require.ErrorContains(t, err, "names SELINUX-010, which the catalogue lacks")
}
