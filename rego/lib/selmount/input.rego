# Input adapter: turns conftest (single document, combined files, List dumps) and Gatekeeper
# (input.review + data.inventory) input into one array of objects in admission order.
package selmount.lib.input

import data.selmount.lib.util

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

default inventory := {}

inventory := data.inventory

cluster_objects := [object.union(util.obj(o), {"apiVersion": gv, "kind": kind}) |
	some gv, kind in {"v1": "PersistentVolume", "storage.k8s.io/v1": "CSIDriver"}
	some o in util.obj(util.get(inventory, ["cluster", gv, kind]))
]

cluster_objects2 := [object.union(util.obj(o), {"apiVersion": gv, "kind": kind}) |
	some [gv, kind] in [["v1", "Namespace"], ["storage.k8s.io/v1", "StorageClass"]]
	some o in util.obj(util.get(inventory, ["cluster", gv, kind]))
]

claim_objects := [object.union(util.obj(o), {"apiVersion": "v1", "kind": "PersistentVolumeClaim"}) |
	some ns, _ in util.obj(util.get(inventory, ["namespace"]))
	some o in util.obj(util.get(inventory, ["namespace", ns, "v1", "PersistentVolumeClaim"]))
]

# Inventory Pods, oldest first (creationTimestamp, then name); the reviewed object comes last. On
# UPDATE (and in audit) it replaces its inventory copy in place, as the model's Admit keeps an updated
# pod's admission position (objects.pods keeps the first position and the last content).
inventory_pods := [o |
	some s in sort([[util.str(util.get(o, ["metadata", "creationTimestamp"])), ns, name, o] |
		some ns, _ in util.obj(util.get(inventory, ["namespace"]))
		some name, p in util.obj(util.get(inventory, ["namespace", ns, "v1", "Pod"]))
		o := object.union(util.obj(p), {"apiVersion": "v1", "kind": "Pod"})
	])
	o := s[3]
]

gatekeeper_objects := array.concat(
	array.concat(array.concat(cluster_objects, cluster_objects2), claim_objects),
	array.concat(inventory_pods, [reviewed]),
)
