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
		{"no level means no mount label", &Options{Type: "spc_t"}, ""},
		{"user without level", &Options{User: "x"}, ""},
	} {
		require.Equal(t, tc.want, KubeletFileLabel(tc.opts), tc.name)
	}
}

func TestFakeFileLabel(t *testing.T) {
	require.Equal(t, "", FakeFileLabel(nil))
	require.Equal(t, "system_u:object_r:container_file_t:s0:c1,c2", FakeFileLabel(&Options{Level: "s0:c1,c2"}))
	require.Equal(t, "system_u:object_r:container_file_t:s0:c1,c2", FakeFileLabel(&Options{User: "system_u", Role: "object_r", Type: "container_t", Level: "s0:c1,c2"}))
	require.Equal(t, "system_u:object_r:spc_t:s0:c998,c999", FakeFileLabel(&Options{Type: "spc_t"}))
}
