package selinux

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Spec table C1 (controller translator).
func TestControllerLabel(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts *Options
		want string
	}{
		{"nil options", nil, ""},
		{"all fields", &Options{User: "system_u", Role: "system_r", Type: "container_t", Level: "s0:c0,c1"}, "system_u:system_r:container_t:s0:c0,c1"},
		{"some fields", &Options{Type: "container_t", Level: "s0:c0,c1"}, "::container_t:s0:c0,c1"},
		{"only level", &Options{Level: "s0:c0,c1"}, ":::s0:c0,c1"},
		{"no fields", &Options{}, ""},
		{"type only", &Options{Type: "spc_t"}, "::spc_t:"},
	} {
		require.Equal(t, tc.want, ControllerLabel(tc.opts), tc.name)
	}
}

// Spec A3 (real kubelet translator) with selmount Decision 4 for options without a level.
func TestKubeletFileLabel(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts *Options
		want string
	}{
		{"nil", nil, ""},
		{"empty", &Options{}, ""},
		{"level only", &Options{Level: "s0:c1,c2"}, "system_u:object_r:container_file_t:s0:c1,c2"},
		{"full process label", &Options{User: "system_u", Role: "system_r", Type: "container_t", Level: "s0:c0,c1"}, "system_u:object_r:container_file_t:s0:c0,c1"},
		{"type is ignored", &Options{Type: "spc_t", Level: "s0:c1,c2"}, "system_u:object_r:container_file_t:s0:c1,c2"},
		{"user is kept", &Options{User: "staff_u", Level: "s0"}, "staff_u:object_r:container_file_t:s0"},
		{"no level: a random level (Decision 4)", &Options{Type: "spc_t"}, "system_u:object_r:container_file_t:<random level>"},
		{"user without level", &Options{User: "x"}, "x:object_r:container_file_t:<random level>"},
		{"role without level", &Options{Role: "r"}, "system_u:object_r:container_file_t:<random level>"},
	} {
		require.Equal(t, tc.want, KubeletFileLabel(tc.opts), tc.name)
	}
}

// Every translation of options without a level allocates a new level: two containers (or two mounts)
// never share one, so a pod with two gets multiple labels.
func TestUniqueLevels(t *testing.T) {
	translate := UniqueLevels(KubeletFileLabel)
	opts := []Options{{Type: "spc_t"}, {Type: "spc_t"}, {Level: "s0:c1,c2"}, {Level: "s0:c1,c2"}}
	labels := LabelSet(opts, translate)
	require.Len(t, labels, 3)
	shown := []string{Shown(labels[0]), Shown(labels[1]), Shown(labels[2])}
	require.Equal(t, []string{"system_u:object_r:container_file_t:<random level>", "system_u:object_r:container_file_t:<random level>",
		"system_u:object_r:container_file_t:s0:c1,c2"}, shown)
	require.True(t, HasRandomLevel(labels[0]))
	require.False(t, HasRandomLevel(labels[2]))
}

func TestFakeFileLabel(t *testing.T) {
	require.Equal(t, "", FakeFileLabel(nil))
	require.Equal(t, "system_u:object_r:container_file_t:s0:c1,c2", FakeFileLabel(&Options{Level: "s0:c1,c2"}))
	require.Equal(t, "system_u:object_r:container_file_t:s0:c1,c2", FakeFileLabel(&Options{User: "system_u", Role: "object_r", Type: "container_t", Level: "s0:c1,c2"}))
	require.Equal(t, "system_u:object_r:spc_t:s0:c998,c999", FakeFileLabel(&Options{Type: "spc_t"}))
}
