# The selinux-warning-controller (policies/controller): per pod and volume key the stored label and
# policy, conflicts between every pair of pods on a key (both directions), deduplicated across keys.
package lib.selmount.controller

import data.lib.selmount.gates
import data.lib.selmount.selinux
import data.lib.selmount.volumes

# label_and_policy: label cleared by Recursive or no support; policy Recursive when there is no label.
label_and_policy(p, v, labels) := [label, final_policy(label, policy)] if {
	policy := pod_policy(p)
	label := stored_label(single(labels), policy, gates.rwop, supports(v))
}

supports(v) := v.supports if gates.rwop

else := false

single(labels) := l if {
	count(labels) == 1
	some l in labels
} else := ""

pod_policy(p) := p.policy if p.hasPolicy

else := "MountOption"

stored_label(_, _, false, _) := ""

stored_label(_, "Recursive", true, _) := ""

stored_label(_, policy, true, false) := "" if policy != "Recursive"

stored_label(l, policy, true, true) := l if policy != "Recursive"

final_policy("", _) := "Recursive"

final_policy(label, policy) := policy if label != ""

# pod_entries: one [key, label, policy] per volume key of a pod; the last mount of the key wins (the
# cache replaces a pod's entry); mounts whose containers disagree on the label are skipped, unless
# the RWOP gate is off (GetMountSELinuxLabel then returns no label and no error).
pod_entries(p) := [[k, info[0], info[1]] |
	some k in keys
	infos := [i | some x in candidates; x[0] == k; i := x[1]]
	info := infos[count(infos) - 1]
] if {
	candidates := [[v.key, label_and_policy(p, v, labels)] |
		some n in p.use.mounts
		v := p.volumes[n]
		v.key != ""
		labels := {selinux.controller_label(o) | some o in p.use.options[n]}
		stored(labels)
	]
	keys := {x[0] | some x in candidates}
}

# entries: what the controller stores; none when it does not run (ChangePolicy gate off, Decision 1).
entries := [{"key": e[0], "label": e[1], "policy": e[2], "pod": {"namespace": p.namespace, "name": p.name}} |
	gates.cp
	some p in volumes.pods
	not p.terminal
	some e in pod_entries(p)
]

volume_keys := {e.key | some e in entries}

# by_volume groups entries per volume key, then per stored [label, policy].
by_volume[k] := groups if {
	some k in volume_keys
	members := [e | some e in entries; e.key == k]
	infos := {[e.label, e.policy] | some e in members}
	groups := {info: [m.pod | some m in members; [m.label, m.policy] == info] | some info in infos}
}

# Directed conflicts per volume: compare distinct [label, policy] groups, then expand to pods.
volume_conflicts[c] contains k if {
	some k, groups in by_volume
	some a, pods_a in groups
	some b, pods_b in groups
	a != b
	some prop in properties(a, b)
	some pa in pods_a
	some pb in pods_b
	c := {"property": prop, "pod": pa, "podValue": value(prop, a), "otherPod": pb, "otherPodValue": value(prop, b)}
}

properties(a, b) := {p |
	some p in ["SELinuxChangePolicy", "SELinuxLabel"]
	differs(p, a, b)
}

differs("SELinuxChangePolicy", a, b) if a[1] != b[1]

differs("SELinuxLabel", a, b) if selinux.labels_conflict(a[0], b[0])

value("SELinuxChangePolicy", info) := info[1]

value("SELinuxLabel", info) := info[0]

# conflicts: every directed conflict once, on the smallest volume key carrying it.
conflicts contains object.union(c, {"volume": min(keys)}) if some c, keys in volume_conflicts

reasons := {"SELinuxLabel": "SELinuxLabelConflict", "SELinuxChangePolicy": "SELinuxChangePolicyConflict"}

# event_message: the text the controller records on c.pod; censored across namespaces.
event_message(c) := sprintf(`%s "%s" conflicts with pod %s that uses the same volume as this pod with %s "%s". If both pods land on the same node, only one of them may access the volume.`, [c.property, c.podValue, c.otherPod.name, c.property, c.otherPodValue]) if {
	c.pod.namespace == c.otherPod.namespace
} else := sprintf(`%s"%s" conflicts with another pod that uses the same volume as this pod with a different %s. If both pods land on the same node, only one of them may access the volume.`, [c.property, c.podValue, c.property])

stored(labels) if count(labels) <= 1

stored(_) if not gates.rwop
