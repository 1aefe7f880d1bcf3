# SELinux options, the controller and kubelet label translators, and label comparison.
package lib.selmount.selinux

import data.lib.selmount.util

# effective_options: the container's options replace the Pod's wholesale; null when neither is set.
effective_options(spec, c) := o if {
	o := util.get(c, ["securityContext", "seLinuxOptions"])
	is_object(o)
} else := o if {
	o := util.get(spec, ["securityContext", "seLinuxOptions"])
	is_object(o)
} else := null

containers(spec) := array.concat(
	array.concat(util.arr(util.get(spec, ["initContainers"])), util.arr(util.get(spec, ["containers"]))),
	util.arr(util.get(spec, ["ephemeralContainers"])),
)

# volume_use: mounted volume names in first-visit order (init, regular, ephemeral containers) and, per
# name, the effective options of every mounting container that has any. volumeDevices never count;
# devices names them, for the kubelet's volumeMode check.
volume_use(spec) := {"mounts": mounts, "options": options, "devices": devices} if {
	refs := [[util.str(util.get(m, ["name"])), eff] |
		some c in containers(spec)
		eff := effective_options(spec, c)
		some m in util.arr(util.get(c, ["volumeMounts"]))
		is_object(m)
	]
	names := [r[0] | some r in refs]
	mounts := [n | some i, n in names; not n in array.slice(names, 0, i)]
	options := {n: [r[1] | some r in refs; r[0] == n; r[1] != null] | some n in mounts}
	devices := {util.str(util.get(d, ["name"])) | some c in containers(spec); some d in util.arr(util.get(c, ["volumeDevices"])); is_object(d)}
}

# controller_label is "user:role:type:level" as written, "" for no or all-empty options.
controller_label(o) := "" if o == null

else := l if {
	l := concat(":", [util.str(util.get(o, ["user"])), util.str(util.get(o, ["role"])), util.str(util.get(o, ["type"])), util.str(util.get(o, ["level"]))])
	l != ":::"
} else := ""

node_default_user := "system_u"

# kubelet_label is the file label the kubelet mounts with: node default container_file_t with the
# options' user and level; "" for options that set nothing; a random level (random_level) for options
# that set a user, role or type but no level (Decision 4, go-selinux InitLabels).
kubelet_label(o) := "" if o == null

else := "" if {
	not random_level(o)
	util.str(util.get(o, ["level"])) == ""
} else := l if {
	u := user_or_default(util.str(util.get(o, ["user"])))
	l := concat(":", [u, "object_r", "container_file_t", level_or_random(util.str(util.get(o, ["level"])))])
}

level_or_random(l) := l if l != ""

else := random_level_text

random_level_text := "<random level>"

# random_level: the kubelet allocates a fresh level for every translation of these options.
random_level(o) if {
	is_object(o)
	util.str(util.get(o, ["level"])) == ""
	some f in ["user", "role", "type"]
	util.str(util.get(o, [f])) != ""
}

# shown is a label as reported: a random level without the mark that keeps it unique.
shown(l) := concat("", [substring(l, 0, i), random_level_text]) if {
	i := indexof(l, concat("", [random_level_text, "#"]))
	i >= 0
} else := l

user_or_default(u) := u if u != ""

else := node_default_user

# parse_label splits a label in four parts; the level keeps further colons (SplitN 4).
parse_label(label) := ["", "", "", ""] if label == ""

else := parts if {
	s := split(label, ":")
	count(s) > 4
	parts := array.concat(array.slice(s, 0, 3), [concat(":", array.slice(s, 3, count(s)))])
} else := array.concat(s, [p | some _ in numbers.range(1, 4 - count(s)); p := ""]) if {
	s := split(label, ":")
	count(s) < 4
} else := split(label, ":")

# parts_conflict: user, role and type clash only when both are set and differ; the level always counts.
parts_conflict(a, b) if {
	some i in [0, 1, 2]
	a[i] != ""
	b[i] != ""
	a[i] != b[i]
}

parts_conflict(a, b) if a[3] != b[3]

labels_conflict(a, b) if parts_conflict(parse_label(a), parse_label(b))
