package policies

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/gates"
)

func TestApplyAllRunsTheOptOut(t *testing.T) {
	profile, _ := gates.Parse("")
	objs := decode(t, optOutNamespaces+"---\n"+podIn("rec", "")+"---\n"+podIn("plain", ""))
	s, err := ApplyAll(profile, OptOutScope{}, objs)
	require.NoError(t, err)
	require.Equal(t, "Recursive", string(*s.Pod("rec/p").ChangePolicy()))
	require.Nil(t, s.Pod("plain/p").ChangePolicy())
	require.Len(t, s.Namespaces, 4)
	require.Empty(t, Audit(profile, s).Findings, "after apply, the opted-out pod carries the value")
}
