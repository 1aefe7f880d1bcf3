package admissionpolicy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const warningPrefix = `Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-warnings' with binding 'selmount-selinux-warnings': `

// Findings come from the policies' JSON annotation; the messages must name the same rules. An ID
// the catalogue lacks, a message without data, data without a message, and data that is not JSON
// are errors, never findings.
func TestFindingsComeFromTheAnnotation(t *testing.T) {
	data := map[string]string{"selmount-selinux-warnings/findings": `[{"rule":"SELINUX-005","property":"selmount.io/change-policy","values":["recursive"]}]`}
	text := []string{warningPrefix + `SELINUX-005: namespace label selmount.io/change-policy="recursive" is neither Recursive nor MountOption`}
	fs, _, err := findingsOf(text, data, nil, "ns/p")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	require.Equal(t, "SELINUX-005", fs[0].Rule)
	require.Equal(t, "warning", fs[0].Severity)
	require.Equal(t, []string{"recursive"}, fs[0].Values)

	_, _, err = findingsOf([]string{warningPrefix + `SELINUX-010: something new`}, map[string]string{"selmount-selinux-warnings/findings": `[{"rule":"SELINUX-010"}]`}, nil, "ns/p")
	require.ErrorContains(t, err, "names SELINUX-010, which the catalogue lacks")
	_, _, err = findingsOf(text, map[string]string{"selmount-selinux-warnings/findings": `[]`}, nil, "ns/p")
	require.ErrorContains(t, err, "the findings annotations do not")
	_, _, err = findingsOf(nil, data, nil, "ns/p")
	require.ErrorContains(t, err, "no message does")
	_, _, err = findingsOf(text, map[string]string{"selmount-selinux-warnings/findings": `[{"rule":`}, nil, "ns/p")
	require.ErrorContains(t, err, "is not JSON")
}
