package selinux

import "strings"

// Label parts, in the order a label spells them.
const (
	User = iota
	Role
	Type
	Level
)

// ParseLabel splits "user:role:type:level" into four parts; the level keeps any further colons.
func ParseLabel(label string) [4]string {
	var parts [4]string
	if label == "" {
		return parts
	}
	copy(parts[:], strings.SplitN(label, ":", 4))
	return parts
}

// Conflicts is the controller's comparison (newest upstream rule, Decision 2): user, role and type clash
// only when both are set and differ; the level is always compared and "" is a value.
func Conflicts(a, b [4]string) bool {
	for _, i := range []int{User, Role, Type} {
		if a[i] != "" && b[i] != "" && a[i] != b[i] {
			return true
		}
	}
	return a[Level] != b[Level]
}

// LabelsConflict parses and compares two controller labels.
func LabelsConflict(a, b string) bool {
	return Conflicts(ParseLabel(a), ParseLabel(b))
}
