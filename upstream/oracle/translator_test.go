package oracle

import (
	"testing"

	v1 "k8s.io/api/core/v1"
)

func TestNodeTranslator(t *testing.T) {
	tr := &nodeTranslator{}
	for _, c := range []struct {
		opts *v1.SELinuxOptions
		want string
	}{
		{nil, ""},
		{&v1.SELinuxOptions{}, ""},
		{&v1.SELinuxOptions{Level: "s0:c1,c2"}, "system_u:object_r:container_file_t:s0:c1,c2"},
		{&v1.SELinuxOptions{User: "u", Role: "r", Type: "spc_t", Level: "s0"}, "u:object_r:container_file_t:s0"},
		{&v1.SELinuxOptions{Type: "spc_t"}, "system_u:object_r:container_file_t:" + FreshLevel},
		{&v1.SELinuxOptions{User: "u"}, "u:object_r:container_file_t:" + FreshLevel},
	} {
		got, err := tr.SELinuxOptionsToFileLabel(c.opts)
		if err != nil || showLabel(got) != c.want {
			t.Errorf("%+v: got %q (%v), want %q", c.opts, got, err, c.want)
		}
	}
	a, _ := tr.SELinuxOptionsToFileLabel(&v1.SELinuxOptions{Type: "spc_t"})
	b, _ := tr.SELinuxOptionsToFileLabel(&v1.SELinuxOptions{Type: "spc_t"})
	if a == b {
		t.Errorf("two translations without a level gave one label %q; a node allocates a fresh level each time", a)
	}
}
