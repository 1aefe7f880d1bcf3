# Gate profiles: {name?, rwop?, cp?, mount?} or a `--profile` string, from profile.raw;
# default v1.37 (all gates on). v1.35 and v1.36 have SELinuxMount off.
package lib.selmount.gates

import data.lib.selmount.profile
import data.lib.selmount.util

releases := {
	"v1.35": {"rwop": true, "cp": true, "mount": false},
	"v1.36": {"rwop": true, "cp": true, "mount": false},
	"v1.37": {"rwop": true, "cp": true, "mount": true},
}

given := p if {
	p := profile.raw
	is_object(p)
} else := parse(p) if {
	p := profile.raw
	is_string(p)
} else := {}

gate_fields := {"SELinuxMountReadWriteOncePod": "rwop", "SELinuxChangePolicy": "cp", "SELinuxMount": "mount"}

# parse reads a `--profile` string: "v1.36" or "v1.36,SELinuxMount=true".
parse(s) := object.union({"name": trim_space(parts[0])}, {field: on |
	some part in array.slice(parts, 1, count(parts))
	kv := split(trim_space(part), "=")
	count(kv) == 2
	field := gate_fields[kv[0]]
	on := kv[1] == "true"
}) if parts := split(s, ",")

# release is the name's release part: a profile's name may carry its overrides ("v1.35,SELinuxMount=true").
release := n if {
	n := trim_space(split(util.str(given.name), ",")[0])
	releases[n]
} else := "v1.37"

base := releases[release]

gate(field) := v if {
	v := given[field]
	is_boolean(v)
} else := base[field]

rwop := gate("rwop")

cp := gate("cp")

mount := gate("mount")

# locked: the gates each release has locked to their default (Kubernetes v1.37.2 kube_features.go).
locked := {"v1.36": {"rwop", "cp"}, "v1.37": {"rwop", "cp"}}

# errors: overrides upstream components refuse to start with (Decision 1); such a profile is no
# cluster, and the entry point denies it.
errors contains sprintf("feature gate %s is locked to %v in %s", [g[1], base[g[0]], release]) if {
	some g in gate_names
	locked[release][g[0]]
	v := given[g[0]]
	is_boolean(v)
	v != base[g[0]]
}

# Overrides are named as `selmount scan --profile` names them (gates in sorted order).
gate_names := [["cp", "SELinuxChangePolicy"], ["mount", "SELinuxMount"], ["rwop", "SELinuxMountReadWriteOncePod"]]

name := n if {
	n := util.str(util.get(given, ["name"]))
	not releases[n]
	n != ""
} else := concat(",", array.concat([release], [sprintf("%s=%v", [g[1], gate(g[0])]) | some g in gate_names; gate(g[0]) != base[g[0]]]))
