package selinux

import "strings"

// NodeDefaultFileLabel is the container file context of a Fedora/RHEL node, without its level.
const NodeDefaultFileLabel = "system_u:object_r:container_file_t"

// ControllerLabel is the selinux-warning-controller's label: the options as written, "user:role:type:level",
// with no defaulting. All-empty options read as no label.
func ControllerLabel(o *Options) string {
	if o == nil {
		return ""
	}
	s := o.User + ":" + o.Role + ":" + o.Type + ":" + o.Level
	if s == ":::" {
		return ""
	}
	return s
}

// KubeletFileLabel is the label the kubelet would pass as -o context. Only user and level reach the file
// label; role and type shape the process label alone. Without a level the runtime picks a random one
// after mounting and relabels recursively, so no mount label exists (selmount Decision 4).
func KubeletFileLabel(o *Options) string {
	if o == nil || o.Level == "" {
		return ""
	}
	parts := strings.SplitN(NodeDefaultFileLabel, ":", 3)
	if o.User != "" {
		parts[0] = o.User
	}
	return parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + o.Level
}

// FakeFileLabel reproduces the kubelet unit tests' translator, which keeps role and type and stands in
// s0:c998,c999 for the random level. Used only to port those tests.
func FakeFileLabel(o *Options) string {
	if o == nil {
		return ""
	}
	user, role, typ, level := o.User, o.Role, o.Type, o.Level
	if user == "" {
		user = "system_u"
	}
	if role == "" {
		role = "object_r"
	}
	if typ == "" || typ == "container_t" {
		typ = "container_file_t"
	}
	if level == "" {
		level = "s0:c998,c999"
	}
	return user + ":" + role + ":" + typ + ":" + level
}
