# Cluster state: storage objects by name and Pods (workloads as pod templates) in admission order.
package lib.selmount.objects

import data.lib.selmount.input as inp
import data.lib.selmount.util

default_namespace := "default"

namespaced_kinds := {
	"Pod", "PersistentVolumeClaim", "ReplicationController",
	"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
}

# group is the API group of an apiVersion ("" for the core group).
group(api_version) := g if {
	contains(api_version, "/")
	g := split(api_version, "/")[0]
} else := ""

# kind_key is "<group>/<kind>", any version of the group.
kind_key(o) := concat("/", [group(util.str(util.get(o, ["apiVersion"]))), util.str(util.get(o, ["kind"]))])

name_of(o) := util.str(util.get(o, ["metadata", "name"]))

namespace_of(o) := ns if {
	util.str(util.get(o, ["kind"])) in namespaced_kinds
	ns := ns_or_default(util.str(util.get(o, ["metadata", "namespace"])))
} else := ""

ns_or_default(ns) := ns if ns != ""

else := default_namespace

objects_of(key) := [o | some o in inp.objects; kind_key(o) == key]

pvcs := util.last_of(items, [concat("/", [namespace_of(o), name_of(o)]) | some o in items]) if {
	items := objects_of("/PersistentVolumeClaim")
}

pvs := util.last_of(items, [name_of(o) | some o in items]) if items := objects_of("/PersistentVolume")

csidrivers := util.last_of(items, [name_of(o) | some o in items]) if items := objects_of("storage.k8s.io/CSIDriver")

storage_classes := util.last_of(items, [name_of(o) | some o in items]) if items := objects_of("storage.k8s.io/StorageClass")

namespaces := util.last_of(items, [name_of(o) | some o in items]) if items := objects_of("/Namespace")

template_paths := {
	"apps/Deployment": ["spec", "template"],
	"apps/DaemonSet": ["spec", "template"],
	"apps/ReplicaSet": ["spec", "template"],
	"apps/StatefulSet": ["spec", "template"],
	"/ReplicationController": ["spec", "template"],
	"batch/Job": ["spec", "template"],
	"batch/CronJob": ["spec", "jobTemplate", "spec", "template"],
}

# pod_of describes a Pod or a workload as a pod record; undefined for other kinds.
pod_of(o) := pod_record(o, o.kind, name_of(o), util.obj(util.get(o, ["spec"])), util.str(util.get(o, ["status", "phase"])), {}) if {
	kind_key(o) == "/Pod"
} else := pod_record(o, o.kind, concat("/", [o.kind, name_of(o)]), template_spec(o, tmpl), "", claim_templates(o)) if {
	path := template_paths[kind_key(o)]
	tmpl := util.get(o, path)
}

# template_spec is a workload's Pod template spec as the Pods its controller creates have it. No
# bundle mutates workloads: the opt-out (Gatekeeper's Assign mutators, Kyverno's MutatingPolicy, the
# MutatingAdmissionPolicy) matches Pods and sets the namespace's policy on each at its CREATE, never
# on the template. So a manifest (conftest) and a stored workload (a Gatekeeper review or
# data.inventory) both hold the template without it, and both are read with the policy its Pods get,
# as the model reads a workload (policies/optout.go, asCreated).
template_spec(o, tmpl) := object.union(spec, {"securityContext": object.union(util.obj(util.get(spec, ["securityContext"])), {"seLinuxChangePolicy": v})}) if {
	spec := util.obj(util.get(tmpl, ["spec"]))
	v := opt_out_value(o, tmpl, spec)
} else := util.obj(util.get(tmpl, ["spec"]))

# windows_label marks Pods (and templates) Gatekeeper's opt-out Assign mutators leave alone, as they
# cannot test spec.os.name (gatekeeper/README.md).
windows_label := "selmount.io/os"

# valid_policies are the seLinuxChangePolicy values the API server accepts.
valid_policies := {"Recursive", "MountOption"}

# opt_out_value is the policy the opt-out gives the Pods of workload o: the namespace's valid label,
# when the template sets no policy and is not a Windows template (nor, in Gatekeeper, labelled as one).
opt_out_value(o, tmpl, spec) := v if {
	not is_string(util.get(spec, ["securityContext", "seLinuxChangePolicy"]))
	util.get(spec, ["os", "name"]) != "windows"
	not mutators_skip(tmpl)
	v := namespace_label(namespace_of(o))
	v in valid_policies
}

# mutators_skip: in Gatekeeper, the Assign mutators skip the Pods of a template labelled
# selmount.io/os=windows. Elsewhere, as in the model, only spec.os.name makes a Windows Pod.
mutators_skip(tmpl) if {
	inp.gatekeeper
	util.get(tmpl, ["metadata", "labels", windows_label]) == "windows"
}

claim_templates(o) := util.last_of(vcts, [name_of(v) | some v in vcts]) if {
	kind_key(o) == "apps/StatefulSet"
	vcts := [v | some v in util.arr(util.get(o, ["spec", "volumeClaimTemplates"])); is_object(v)]
} else := {}

pod_record(o, kind, name, spec, phase, templates) := {
	"index": o.index,
	"kind": kind,
	"namespace": namespace_of(o),
	"name": name,
	"displayName": name_of(o),
	"spec": spec,
	"phase": phase,
	"terminal": phase in {"Succeeded", "Failed"},
	"windows": util.get(spec, ["os", "name"]) == "windows",
	"hasPolicy": is_string(policy),
	"policy": util.str(policy),
	"node": util.str(util.get(spec, ["nodeName"])),
	"claimTemplates": templates,
} if {
	policy := util.get(spec, ["securityContext", "seLinuxChangePolicy"])
}

raw_pods := [p | some o in inp.objects; p := pod_of(o)]

raw_pod_keys := [concat("/", [p.namespace, p.name]) | some p in raw_pods]

# pods are Pods and workloads in admission order; a later object with the same key replaces the pod
# in place, keeping its admission position (an UPDATE).
pods := [object.union(raw_pods[lasts[k]], {"index": raw_pods[i].index}) |
	firsts := util.first_positions(raw_pod_keys)
	lasts := {k: i | some [k, i] in util.last_positions(raw_pod_keys)}
	some i, k in raw_pod_keys
	firsts[k] == i
]

# namespace_label is the namespace's opt-out label value; undefined when absent.
opt_out_label := "selmount.io/change-policy"

namespace_label(ns) := v if {
	v := util.get(namespaces[ns], ["metadata", "labels", opt_out_label])
	is_string(v)
}
