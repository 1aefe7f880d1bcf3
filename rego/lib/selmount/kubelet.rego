# The kubelet (policies/kubelet): mount labels, access-mode eligibility, SELINUX-003 multiple labels
# and SELINUX-006 refused pairs on shared volumes in admission order.
package lib.selmount.kubelet

import data.lib.selmount.gates
import data.lib.selmount.selinux
import data.lib.selmount.util
import data.lib.selmount.volumes

# eligible: a PV (or claim) and either the Mount gate or access modes exactly [ReadWriteOncePod].
eligible(v) if {
	gates.rwop
	v.hasPV
	gates.mount
}

eligible(v) if {
	gates.rwop
	v.hasPV
	v.accessModes == ["ReadWriteOncePod"]
}

is_eligible(v) if eligible(v)

else := false

kubelet_pods := [p | some p in volumes.pods; not p.terminal; not p.windows]

# labels_of: the distinct kubelet labels the containers give a volume. A random level is new for every
# mount (Decision 4): its mark (pod, volume, position) keeps it apart from every other label.
labels_of(p, n) := sort(array.concat([l | some l in fixed], fresh)) if {
	opts := object.get(p.use.options, n, [])
	fixed := {selinux.kubelet_label(o) | some o in opts; not selinux.random_level(o)}
	fresh := [concat("#", [selinux.kubelet_label(o), sprintf("%d/%s/%d", [p.index, n, i])]) | some i, o in opts; selinux.random_level(o)]
}

# populator_order: the order the kubelet's populator adds a pod's volumes, those mounted or used as a
# raw device, in spec.volumes order (it decides which of two pod volumes on one volume is compared),
# then names without a volumes entry. A device-only volume has no options: label "".
populator_order(p) := array.concat(listed, rest) if {
	names := [n | some v in util.arr(util.get(p, ["spec", "volumes"])); is_object(v); n := util.str(util.get(v, ["name"])); used(p, n)]
	listed := [n | some i, n in names; not n in array.slice(names, 0, i)]
	others := array.concat(p.use.mounts, sort([n | some n in p.use.devices]))
	rest := [n | some i, n in others; not n in listed; not n in array.slice(others, 0, i)]
}

used(p, n) if n in p.use.mounts

used(p, n) if n in p.use.devices

# reaches_dsw: the populator's volumeMode check, made for volumes from claims only, passes (a
# Filesystem volume, not also a device); otherwise the pod volume gets no SELinux check and holds the
# volume for no one.
reaches_dsw(p, n) if not p.volumes[n].claim

reaches_dsw(p, n) if {
	p.volumes[n].claim
	not mode_mismatch(p, n)
}

mode_mismatch(p, n) if {
	n in p.use.mounts
	p.volumes[n].block
}

mode_mismatch(p, n) if {
	n in p.use.devices
	not p.volumes[n].block
}

# multiple: pods whose containers give one volume different file labels (only with the RWOP gate).
multiple := [{"pod": p, "name": n, "volume": v, "labels": [selinux.shown(l) | some l in labels], "error": is_eligible(v), "order": [p.index, mi]} |
	gates.rwop
	some p in kubelet_pods
	some mi, n in populator_order(p)
	v := p.volumes[n]
	reaches_dsw(p, n)
	labels := labels_of(p, n)
	count(labels) > 1
]

# mount_info is [mount label, plugin supports]; undefined for an error-case multiple-label volume.
mount_info(_, _, _) := ["", false] if not gates.rwop

mount_info(_, v, labels) := ["", false] if {
	gates.rwop
	count(labels) > 1
	not eligible(v)
}

mount_info(p, v, labels) := [mount_label(p, v, labels), v.supports] if {
	gates.rwop
	count(labels) <= 1
}

mount_label(p, v, labels) := "" if count(labels) == 0

else := "" if {
	gates.cp
	p.hasPolicy
	p.policy == "Recursive"
} else := "" if not v.supports

else := labels[0]

# members of shared volumes, in admission order then populator order: every pod volume the kubelet
# adds. Only a pod's first one can hold the volume; AddPodToVolume compares a later one only while the
# pod is not on the volume yet (see let_through).
members := [{"key": v.key, "index": p.index, "pod": p, "name": n, "volume": v, "label": info[0], "supports": info[1], "node": p.node, "first": first} |
	some p in kubelet_pods
	order := populator_order(p)
	some i, n in order
	v := p.volumes[n]
	reaches_dsw(p, n)
	info := mount_info(p, v, labels_of(p, n))
	volumes.shared(v)
	first := is_first(p, order, i, v.key)
]

is_first(p, order, i, key) := false if added_before(p, order, i, key)

else := true

added_before(p, order, i, key) if {
	some j, m in order
	j < i
	w := p.volumes[m]
	w.key == key
	reaches_dsw(p, m)
	_ := mount_info(p, w, labels_of(p, m))
}

member_keys := {m.key | some m in members}

by_volume[k] := group if {
	some k in member_keys
	group := [m | some m in members; m.key == k]
}

# refusals: the later pod is refused when it supports the mount option on an eligible volume and its
# label differs from an earlier pod's, unless both are on one known node where the earlier pod is
# not the first pod there. Pods on different known nodes are latent.
refusals contains r if {
	some k, group in by_volume
	by_label := {l: [j | some j, x in group; x.label == l] | some l in {m.label | some m in group}}
	holder := {node: min([j | some j, x in group; x.node == node]) | some node in {m.node | some m in group}; node != ""}
	some j, later in group
	later.supports
	eligible(later.volume)
	some l, idxs in by_label
	l != later.label
	some i in idxs
	i < j
	earlier := group[i]
	earlier.first
	earlier.index != later.index
	not blocked(later, earlier, holder, i)
	not let_through(group, j, later, earlier)
	r := {
		"key": k, "pod": later.pod, "other": earlier.pod, "name": later.name, "volume": later.volume,
		"podLabel": selinux.shown(later.label), "otherLabel": selinux.shown(earlier.label),
		"latent": latent(later.node, earlier.node), "order": [j, i],
	}
}

# let_through: an earlier pod volume of the later pod on this volume was added without being refused
# by earlier (no comparison, or the same label), so the pod is already on the volume.
let_through(group, j, later, earlier) if {
	some i, m in group
	i < j
	m.index == later.index
	not refused_by(m, earlier)
}

refused_by(m, earlier) if {
	m.supports
	eligible(m.volume)
	m.label != earlier.label
}

blocked(later, earlier, holder, i) if {
	later.node != ""
	earlier.node == later.node
	holder[later.node] != i
}

latent(a, b) if {
	a != ""
	b != ""
	a != b
} else := false

# conflict_message is the kubelet's error text.
conflict_message(volume, existing, incoming) := sprintf("conflicting SELinux labels of volume %s: %q and %q", [volume, existing, incoming])

display_name(r) := r.volume.specName if r.volume.specName != ""

else := r.name
