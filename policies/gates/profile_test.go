package gates

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseReleases(t *testing.T) {
	for _, tc := range []struct {
		spec          string
		rwop, cp, mnt bool
		name          string
	}{
		{"", true, true, true, "v1.37"},
		{"v1.37", true, true, true, "v1.37"},
		{"v1.36", true, true, false, "v1.36"},
		{"v1.35", true, true, false, "v1.35"},
		{"v1.36,SELinuxMount=true", true, true, true, "v1.36,SELinuxMount=true"},
		{"v1.37,SELinuxMount=false", true, true, false, "v1.37,SELinuxMount=false"},
		{"v1.35, SELinuxMountReadWriteOncePod=false", false, true, false, "v1.35,SELinuxMountReadWriteOncePod=false"},
		{"v1.35,SELinuxChangePolicy=false", true, false, false, "v1.35,SELinuxChangePolicy=false"},
		{"v1.36,SELinuxChangePolicy=true", true, true, false, "v1.36,SELinuxChangePolicy=true"},
	} {
		p, err := Parse(tc.spec)
		require.NoError(t, err, tc.spec)
		require.Equal(t, Profile{Name: tc.name, RWOP: tc.rwop, CP: tc.cp, Mount: tc.mnt}, p, tc.spec)
	}
}

func TestParseErrors(t *testing.T) {
	for _, spec := range []string{"v1.30", "v1.37,SELinuxMount", "v1.37,SELinuxMount=maybe", "v1.37,Foo=true"} {
		_, err := Parse(spec)
		require.Error(t, err, spec)
	}
}

// Decision 1: v1.36 and v1.37 lock RWOP and ChangePolicy on; upstream refuses to start otherwise.
func TestLockedGatesCannotBeTurnedOff(t *testing.T) {
	for _, spec := range []string{"v1.36,SELinuxChangePolicy=false", "v1.37,SELinuxMountReadWriteOncePod=false", "v1.37,SELinuxChangePolicy=false"} {
		_, err := Parse(spec)
		require.ErrorContains(t, err, "is locked to true", spec)
	}
}

func TestControllerNeedsChangePolicy(t *testing.T) {
	p, err := Parse("v1.35,SELinuxChangePolicy=false")
	require.NoError(t, err)
	require.False(t, p.ControllerRuns())
	p, _ = Parse("v1.35")
	require.True(t, p.ControllerRuns())
}

func TestAcceptsOnlyRecursive(t *testing.T) {
	p36, _ := Parse("v1.36")
	p37, _ := Parse("v1.37")
	require.True(t, p36.AcceptsOnlyRecursive(false))
	require.False(t, p36.AcceptsOnlyRecursive(true))
	require.False(t, p37.AcceptsOnlyRecursive(false))
}

// Decision 1: the gate off drops the field from what is stored, unless an UPDATE's old Pod had it.
func TestStoresChangePolicy(t *testing.T) {
	off, err := Parse("v1.35,SELinuxChangePolicy=false")
	require.NoError(t, err)
	on, _ := Parse("v1.35")
	require.False(t, off.StoresChangePolicy(false))
	require.True(t, off.StoresChangePolicy(true))
	require.True(t, on.StoresChangePolicy(false))
}
