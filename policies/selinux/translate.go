package selinux

import (
	"strconv"
	"strings"
)

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

// RandomLevel stands for a level the kubelet allocates at random, in the labels selmount reports.
const RandomLevel = "<random level>"

// KubeletFileLabel is the label the kubelet would pass as -o context. Only user and level reach the file
// label; role and type shape the process label alone. Options that set nothing give "" (no mount
// option). Options that set user, role or type but no level get a fresh random level from go-selinux
// InitLabels on every translation (Kubernetes v1.37.2 pkg/volume/util/selinux.go; spec Decision 4):
// the label is then RandomLevel here, and UniqueLevels makes each such translation differ.
func KubeletFileLabel(o *Options) string {
	if o == nil || (o.User == "" && o.Role == "" && o.Type == "" && o.Level == "") {
		return ""
	}
	parts := strings.SplitN(NodeDefaultFileLabel, ":", 3)
	if o.User != "" {
		parts[0] = o.User
	}
	level := o.Level
	if level == "" {
		level = RandomLevel
	}
	return parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + level
}

// UniqueLevels wraps a translator so that every label with a random level differs from every other
// label, as the kubelet's do: a mark "#n" after RandomLevel keeps them apart until Shown drops it.
// Each call of UniqueLevels starts a new node's worth of allocations.
func UniqueLevels(translate func(*Options) string) func(*Options) string {
	n := 0
	return func(o *Options) string {
		l := translate(o)
		if strings.HasSuffix(l, RandomLevel) {
			n++
			l += "#" + strconv.Itoa(n)
		}
		return l
	}
}

// Shown is a label as selmount reports it: a random level without the mark UniqueLevels added.
func Shown(label string) string {
	if i := strings.Index(label, RandomLevel+"#"); i >= 0 {
		return label[:i+len(RandomLevel)]
	}
	return label
}

// HasRandomLevel tells whether a label's level is one the kubelet picks at random.
func HasRandomLevel(label string) bool {
	return strings.Contains(label, RandomLevel)
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
