# Input adapter: turns conftest (single document, combined files, List dumps) and Gatekeeper
# (input.review + data.inventory) input into one array of objects in admission order.
package lib.selmount.input

import data.lib.selmount.migration
import data.lib.selmount.util

# objects are the input objects in admission order, each with its position as "index".
objects := [object.union(o, {"index": i}) | some i, o in raw_objects]

raw_objects := gatekeeper_objects if gatekeeper

else := conftest_objects

gatekeeper if is_object(input.review)

# --- conftest -----------------------------------------------------------------------------

entries := input if is_array(input)

else := [input]

# A combined-input entry is {"path": ..., "contents": ...}; contents is one document or an array.
entry_docs(e) := util.arr(util.get(e, ["contents"])) if {
	is_object(e)
	is_string(e.path)
	is_array(e.contents)
} else := [e.contents] if {
	is_object(e)
	is_string(e.path)
	"contents" in object.keys(e)
} else := e if is_array(e)

else := [e]

documents := [d | some e in entries; some d in entry_docs(e)]

# List documents (kubectl get -o yaml|json) expand into their items, in order.
expand(d) := [it | some it in d.items; is_object(it)] if {
	is_object(d)
	endswith(util.str(util.get(d, ["kind"])), "List")
	is_array(d.items)
} else := [d] if is_object(d)

else := []

conftest_objects := [o | some d in documents; some o in expand(d)]

# sources[i] is the file conftest_objects[i] came from: the path conftest --combine hands with each
# document, "" without --combine (conftest then names the file itself). conftest does not keep the
# order of one file's documents, so no document number is derived from the input's order.
sources := [entry_path(e) | some e in entries; some d in entry_docs(e); some _ in expand(d)]

entry_path(e) := e.path if {
	is_object(e)
	is_string(e.path)
	"contents" in object.keys(e)
} else := ""

# --- Gatekeeper ----------------------------------------------------------------------------

review_object := input.review.object

review_namespace := ns if {
	ns := util.str(util.get(review_object, ["metadata", "namespace"]))
	ns != ""
} else := ns if {
	ns := util.str(input.review.namespace)
	ns != ""
} else := ""

# The reviewed object with its namespace filled in from the request when the manifest names none.
reviewed := object.union(review_object, {"metadata": object.union(util.obj(util.get(review_object, ["metadata"])), {"namespace": review_namespace})}) if {
	review_namespace != ""
} else := review_object

# old_has_policy: an UPDATE whose old object already set seLinuxChangePolicy (the API server then
# accepts MountOption even with SELinuxMount off).
old_has_policy if {
	gatekeeper
	input.review.operation == "UPDATE"
	old := input.review.oldObject
	is_object(old)
	is_string(util.get(old, policy_path(old)))
}

policy_path(o) := ["spec", "jobTemplate", "spec", "template", "spec", "securityContext", "seLinuxChangePolicy"] if {
	o.kind == "CronJob"
} else := ["spec", "securityContext", "seLinuxChangePolicy"] if {
	o.kind == "Pod"
} else := ["spec", "template", "spec", "securityContext", "seLinuxChangePolicy"]

# Lookups go straight to the subtree they need: reading data.inventory whole would copy the cluster.
cluster_kind(gv, kind) := util.obj(data.inventory.cluster[gv][kind]) if data.inventory.cluster[gv][kind]

else := {}

ns_kind(ns, gv, kind) := util.obj(data.inventory.namespace[ns][gv][kind]) if data.inventory.namespace[ns][gv][kind]

else := {}

typed(o, gv, kind) := object.union(util.obj(o), {"apiVersion": gv, "kind": kind})

# The review reads the inventory by key, not whole: the reviewed namespace, the claims and PVs its
# volumes name, other PVs naming the same storage and the namespaces of their claims. Only a volume
# an inline volume elsewhere could also name (in-tree, migrated, iSCSI, FC) makes it read every Pod.
# So one review costs about the same in a cluster of 100 Pods or of 10,000.
home := review_namespace if review_namespace != ""

else := "default"

pod_kinds := [
	["v1", "Pod"], ["v1", "ReplicationController"], ["apps/v1", "Deployment"], ["apps/v1", "StatefulSet"],
	["apps/v1", "DaemonSet"], ["apps/v1", "ReplicaSet"], ["batch/v1", "Job"], ["batch/v1", "CronJob"],
]

spec_of(o) := util.obj(util.get(o, ["spec", "jobTemplate", "spec", "template", "spec"])) if {
	util.get(o, ["kind"]) == "CronJob"
} else := util.obj(util.get(o, ["spec"])) if {
	util.get(o, ["kind"]) == "Pod"
} else := util.obj(util.get(o, ["spec", "template", "spec"]))

reviewed_volumes := [v | some v in util.arr(util.get(spec_of(review_object), ["volumes"])); is_object(v)]

reviewed_claims := {c |
	some v in reviewed_volumes
	c := util.str(util.get(v, ["persistentVolumeClaim", "claimName"]))
	c != ""
}

home_claims := ns_kind(home, "v1", "PersistentVolumeClaim")

reviewed_pvs := {n |
	some c in reviewed_claims
	n := util.str(util.get(home_claims[c], ["spec", "volumeName"]))
	n != ""
}

# storage_ids are the strings that name a volume's storage in any source it may be written with;
# two volumes can only share a key when they share one of these.
storage_fields := array.concat(
	[["csi", "volumeHandle"], ["hostPath", "path"], ["nfs", "path"], ["local", "path"], ["iscsi", "iqn"]],
	array.concat([[p.field, p.id] | some p in migration.plugins], [["fc", "wwids"], ["fc", "targetWWNs"]]),
)

storage_ids(src) := {sprintf("%v", [id]) |
	some f in storage_fields
	id := util.get(src, f)
	not id in {null, "", []}
} | ebs_handles(src)

# ebs_handles: an aws://<zone>/vol-… ID names the same storage as the bare vol-… ID it migrates to.
ebs_handles(src) := {h} if {
	h := migration.ebs(util.str(util.get(src, ["awsElasticBlockStore", "volumeID"]))).handle
	h != ""
} else := set()

# Sources an inline Pod volume can share with a PV or another Pod (others give inline volumes no key).
inline_sharable := {"iscsi", "fc"} | migration.fields

all_pvs := cluster_kind("v1", "PersistentVolume")

target_ids := {id |
	some n in reviewed_pvs
	some id in storage_ids(util.get(all_pvs[n], ["spec"]))
} | {id |
	some v in reviewed_volumes
	some id in storage_ids(v)
}

sharable_with_inline if {
	some v in reviewed_volumes
	some f in inline_sharable
	is_object(v[f])
}

sharable_with_inline if {
	some n in reviewed_pvs
	spec := util.obj(util.get(all_pvs[n], ["spec"]))
	some f in object.keys(spec)
	f in inline_sharable
}

sharable_with_inline if {
	some n in reviewed_pvs
	util.get(all_pvs[n], ["spec", "csi", "driver"]) in migration.drivers
}

# The one pass over PVs: the reviewed object's own and those naming the same storage.
selected_pvs := {n |
	some n, pv in all_pvs
	pv_selected(n, pv)
}

pv_selected(n, _) if n in reviewed_pvs

# One lookup per PV for CSI storage (the common case); every source field only when the reviewed
# storage is named some other way too.
pv_selected(_, pv) if pv.spec.csi.volumeHandle in target_ids

pv_selected(_, pv) if {
	other_targets
	some id in storage_ids(util.get(pv, ["spec"]))
	id in target_ids
}

other_targets if {
	some n in reviewed_pvs
	spec := util.obj(util.get(all_pvs[n], ["spec"]))
	not is_object(spec.csi)
	count(storage_ids(spec)) > 0
}

other_targets if {
	some v in reviewed_volumes
	count(storage_ids(v)) > 0
}

relevant_namespaces := {home} | {ns |
	some n in selected_pvs
	ns := util.str(util.get(all_pvs[n], ["spec", "claimRef", "namespace"]))
	ns != ""
}

# Namespaces holding an inline volume on the reviewed storage (the every-Pod read above).
inline_namespaces := {ns |
	sharable_with_inline
	some ns, by_gv in data.inventory.namespace
	some [gv, kind] in pod_kinds
	some o in util.obj(util.get(by_gv, [gv, kind]))
	some v in util.arr(util.get(spec_of(typed(o, gv, kind)), ["volumes"]))
	some id in storage_ids(v)
	id in target_ids
}

namespaces_read := relevant_namespaces | inline_namespaces

# Claims that can bring a Pod together with the reviewed object: its own, and those bound to the PVs
# naming the same storage (named by the claimRef, or naming the PV: a Bound claim resolves by its
# volumeName and the claimRef's uid, whatever name the claimRef has). Only Pods using one of them (or
# an inline volume on the same storage, or the reviewed object's own earlier version) are read in full.
relevant_claims := ({[home, c] | some c in reviewed_claims} | {[ns, c] |
	some n in selected_pvs
	ref := util.obj(util.get(all_pvs[n], ["spec", "claimRef"]))
	ns := util.str(util.get(ref, ["namespace"]))
	c := util.str(util.get(ref, ["name"]))
	ns != ""
	c != ""
}) | {[ns, c] |
	some n in selected_pvs
	ns := util.str(util.get(all_pvs[n], ["spec", "claimRef", "namespace"]))
	ns != ""
	some c, claim in ns_kind(ns, "v1", "PersistentVolumeClaim")
	util.get(claim, ["spec", "volumeName"]) == n
}

pod_claims(o) := {c |
	some v in util.arr(util.get(spec_of(o), ["volumes"]))
	c := util.str(util.get(v, ["persistentVolumeClaim", "claimName"]))
	c != ""
}

relevant(ns, _, _, o) if {
	some c in pod_claims(o)
	[ns, c] in relevant_claims
}

relevant(ns, _, _, o) if {
	ns in inline_namespaces
	some v in util.arr(util.get(spec_of(o), ["volumes"]))
	some id in storage_ids(v)
	id in target_ids
}

relevant(ns, kind, name, _) if [ns, kind, name] == [home, util.get(review_object, ["kind"]), util.get(review_object, ["metadata", "name"])]

relevant_pods := [[util.str(util.get(o, ["metadata", "creationTimestamp"])), ns, kind, name, typed(o, gv, kind)] |
	some ns in namespaces_read
	some [gv, kind] in pod_kinds
	some name, raw in ns_kind(ns, gv, kind)
	o := typed(raw, gv, kind)
	relevant(ns, kind, name, o)
]

claims_read := [typed(o, "v1", "PersistentVolumeClaim") |
	some ns in namespaces_read
	some c, o in ns_kind(ns, "v1", "PersistentVolumeClaim")
	claim_read(ns, c)
]

claim_read(ns, c) if [ns, c] in relevant_claims

claim_read(ns, c) if {
	some p in relevant_pods
	p[1] == ns
	c in pod_claims(p[4])
}

pvs_read := {n | some n in selected_pvs} | {n |
	some c in claims_read
	n := util.str(util.get(c, ["spec", "volumeName"]))
	all_pvs[n]
}

cluster_objects := array.concat(
	[typed(all_pvs[n], "v1", "PersistentVolume") | some n in pvs_read],
	[typed(o, gv, kind) |
		some [gv, kind] in [["storage.k8s.io/v1", "CSIDriver"], ["storage.k8s.io/v1", "StorageClass"]]
		some o in cluster_kind(gv, kind)
	],
)

namespace_objects := [typed(o, "v1", "Namespace") |
	some ns in namespaces_read
	o := data.inventory.cluster.v1.Namespace[ns]
]

# The relevant inventory Pods and workloads, oldest first (creationTimestamp, then namespace, kind,
# name); the reviewed object comes last. On UPDATE (and in audit) it replaces its
# inventory copy in place, as the model's Admit keeps an updated pod's admission position
# (objects.pods keeps the first position and the last content).
inventory_pods := [s[4] | some s in sort(relevant_pods)]

gatekeeper_objects := array.concat(
	array.concat(array.concat(cluster_objects, namespace_objects), claims_read),
	array.concat(inventory_pods, [reviewed]),
)
