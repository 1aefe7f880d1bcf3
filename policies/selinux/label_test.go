package selinux

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Spec table C3.
func TestParseLabel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want [4]string
	}{
		{"", [4]string{"", "", "", ""}},
		{"system_u:system_r:container_t:s0:c0,c1", [4]string{"system_u", "system_r", "container_t", "s0:c0,c1"}},
		{"system_u:system_r:container_t", [4]string{"system_u", "system_r", "container_t", ""}},
		{"system_u:system_r", [4]string{"system_u", "system_r", "", ""}},
		{"system_u", [4]string{"system_u", "", "", ""}},
		{":system_r:container_t", [4]string{"", "system_r", "container_t", ""}},
		{"::container_t", [4]string{"", "", "container_t", ""}},
		{"::container_t:s0", [4]string{"", "", "container_t", "s0"}},
		{":::s0:c0,c1", [4]string{"", "", "", "s0:c0,c1"}},
		{"user_with_underscore:role-with-dash:type.with.dots:s0:c0.c1", [4]string{"user_with_underscore", "role-with-dash", "type.with.dots", "s0:c0.c1"}},
		{"user:role:type:s0:c0,c1:extra", [4]string{"user", "role", "type", "s0:c0,c1:extra"}},
		{":::", [4]string{"", "", "", ""}},
		{":::::", [4]string{"", "", "", "::"}},
	} {
		require.Equal(t, tc.want, ParseLabel(tc.in), tc.in)
	}
}

// Spec table C2, "new" column (Decision 2), plus the cache cases of C4.1 that pin the level rule.
func TestLabelsConflict(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		want bool
	}{
		{"two empty strings", "", "", false},
		{"empty vs full-ish", "", "system_u:system_r:container_t", false},
		{"only colons vs full-ish", ":::::::::::::", "system_u:system_r:container_t", true},
		{"longer with same common parts", "system_u:system_r:container_t:c0,c2", "system_u:system_r:container_t", true},
		{"longer with different type", "system_u:system_r:conflict_t:c0,c2", "system_u:system_r:container_t", true},
		{"empty user/role, different type", "::conflict_t", "::container_t", true},
		{"complementary empty parts", "system_u::container_t", ":system_r::c0,c2", true},
		{"vol7 level vs no level", "system_u:system_r:label7", "::label7:c0,c1", true},
		{"vol8 empty vs no-level label", "system_u:system_r:label8", "", false},
		{"vol8 empty vs label with level", "system_u:system_r:label8:c0,c1", "", true},
		{"level-only equals full label with same level", ":::s0:c1,c2", "system_u:system_r:container_t:s0:c1,c2", false},
		{"level-only vs other level", ":::s0:c1,c2", "system_u:system_r:container_t:s0:c98,c99", true},
		{"levels are verbatim", ":::s0:c1,c2", ":::s0:c2,c1", true},
	} {
		require.Equal(t, tc.want, LabelsConflict(tc.a, tc.b), tc.name)
		require.Equal(t, tc.want, LabelsConflict(tc.b, tc.a), tc.name+" (swapped)")
	}
}
