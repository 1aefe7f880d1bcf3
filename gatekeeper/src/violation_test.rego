package lib.selmount.gatekeeper_test

import data.lib.selmount.gatekeeper
import data.selmount.test.fixtures as fx

ts(p, t) := object.union(p, {"metadata": {"creationTimestamp": t}})

inventory := {
	"namespace": {"shop": {"v1": {
		"Pod": {
			"old": ts(fx.pod("shop", "old", "s0:c1,c2", "data"), "2026-01-01T00:00:00Z"),
			"older": ts(fx.pod("shop", "older", "s0:c5,c6", "other"), "2025-01-01T00:00:00Z"),
		},
		"PersistentVolumeClaim": {"data": fx.bound_pvc("shop", "data", "pv-data"), "other": fx.bound_pvc("shop", "other", "pv-other")},
	}}},
	"cluster": {
		"v1": {
			"PersistentVolume": {
				"pv-data": fx.csi_pv("pv-data", "ebs.csi.aws.com", "vol-1", "shop", "data"),
				"pv-other": fx.csi_pv("pv-other", "ebs.csi.aws.com", "vol-2", "shop", "other"),
			},
			"Namespace": {"shop": fx.namespace("shop", {"selmount.io/change-policy": "Recursive"})},
		},
		"storage.k8s.io/v1": {"CSIDriver": {"ebs.csi.aws.com": fx.csidriver("ebs.csi.aws.com", true)}},
	},
}

# The reviewed pod (no namespace in the manifest) comes last: it is refused, the inventory pod is not.
test_violation_for_reviewed_pod_only if {
	new := object.remove(fx.pod("shop", "new", "s0:c3,c4", "data"), ["metadata"])
	reviewed := object.union(new, {"metadata": {"name": "new"}})
	vs := gatekeeper.violation with input as {"review": {"object": reviewed, "namespace": "shop", "operation": "CREATE"}}
		with data.inventory as inventory
	{[v.details.rule, v.details.severity] | some v in vs} == {["SELINUX-001", "warning"], ["SELINUX-006", "error"], ["SELINUX-004", "warning"]}
	every v in vs {
		v.details.pod == fx.ref("shop", "new")
		startswith(v.msg, v.details.rule)
		not v.details.msg
	}
	some v in vs
	v.details.rule == "SELINUX-006"
	v.details.volume == "kubernetes.io/csi/ebs.csi.aws.com^vol-1"
	v.details.otherPod == fx.ref("shop", "old")
	v.msg == `SELINUX-006: Pod shop/new: new stays in ContainerCreating on a node where pod old already uses the volume: conflicting SELinux labels of volume pv-data: "system_u:object_r:container_file_t:s0:c1,c2" and "system_u:object_r:container_file_t:s0:c3,c4"`
}

# Audit of an inventory pod: its inventory copy is replaced by the reviewed object, which comes last.
test_review_replaces_inventory_copy if {
	vs := gatekeeper.violation with input as {"review": {"object": inventory.namespace.shop.v1.Pod.old}}
		with data.inventory as inventory
	{v.details.rule | some v in vs} == {"SELINUX-004"}
}

test_inventory_order_by_creation_timestamp if {
	a := ts(fx.pod("shop", "a", "s0:c1,c2", "data"), "2026-03-01T00:00:00Z")
	b := ts(fx.pod("shop", "b", "s0:c3,c4", "data"), "2026-02-01T00:00:00Z")
	inv := {"namespace": {"shop": {"v1": {"Pod": {"a": a, "b": b}}}}}
	vs := gatekeeper.violation with input as {"review": {"object": fx.pod("shop", "c", "s0:c1,c2", "data")}}
		with data.inventory as inv
	{[v.details.rule, v.details.otherPod.name] | some v in vs; v.details.rule == "SELINUX-006"} == {["SELINUX-006", "b"]}
	bs := gatekeeper.violation with input as {"review": {"object": b}} with data.inventory as inv

	# b, older than a, keeps its inventory place: one SELINUX-001 against a; SELINUX-006 goes to a
	[v.details.rule | some v in bs] == ["SELINUX-001"]
}

test_no_inventory_and_null_fields if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": "n"}, "spec": {"securityContext": null, "volumes": null}}
	vs := gatekeeper.violation with input as {"review": {"object": p}}
	count(vs) == 0
}

test_workload_review_misuse if {
	d := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "n"}, "spec": {"template": {"spec": {"securityContext": {"seLinuxChangePolicy": "MountOption"}}}}}
	vs := gatekeeper.violation with input as {"review": {"object": d}} with input.parameters.profile as "v1.36"
	[v.details | some v in vs] == [{"rule": "SELINUX-005", "severity": "error", "pod": fx.ref("n", "Deployment/web"), "property": "seLinuxChangePolicy", "values": ["MountOption"]}]
}

# The conftest entry point stays silent on Gatekeeper input and vice versa.
test_conftest_input_gives_no_violation if {
	count(gatekeeper.violation) == 0 with input as [fx.pod("s", "a", "s0:c1", "d"), fx.pod("s", "b", "s0:c2", "d")]
}

# On UPDATE the API server accepts MountOption when the old object already had a policy (spec A11).
test_update_with_old_policy_accepts_mountoption if {
	p := fx.with_spec(fx.pod("n", "p", "s0:c1", "d"), {"securityContext": {"seLinuxChangePolicy": "MountOption"}})
	old := fx.with_spec(fx.pod("n", "p", "s0:c1", "d"), {"securityContext": {"seLinuxChangePolicy": "Recursive"}})
	create := gatekeeper.violation with input as {"review": {"object": p, "operation": "CREATE"}} with input.parameters.profile as "v1.36"
	{v.details.rule | some v in create} == {"SELINUX-005"}
	update := gatekeeper.violation with input as {"review": {"object": p, "oldObject": old, "operation": "UPDATE"}} with input.parameters.profile as "v1.36"
	count(update) == 0
	unset := fx.pod("n", "p", "s0:c1", "d")
	update_unset := gatekeeper.violation with input as {"review": {"object": p, "oldObject": unset, "operation": "UPDATE"}} with input.parameters.profile as "v1.36"
	{v.details.rule | some v in update_unset} == {"SELINUX-005"}
}

# An updated inventory pod keeps its place: the later inventory pod is the refused one.
test_update_keeps_inventory_position if {
	a := ts(fx.pod("shop", "a", "s0:c1,c2", "data"), "2026-01-01T00:00:00Z")
	b := ts(fx.pod("shop", "b", "s0:c3,c4", "data"), "2026-02-01T00:00:00Z")
	inv := {"namespace": {"shop": {"v1": {"Pod": {"a": a, "b": b}}}}}
	vs := gatekeeper.violation with input as {"review": {"object": a, "oldObject": a, "operation": "UPDATE"}}
		with data.inventory as inv
	{v.details.rule | some v in vs} == {"SELINUX-001"}
}

# A workload in an opted-out namespace is stored as applied (the Assign mutators match Pods only)
# while its Pods carry the namespace's policy. Read from data.inventory or reviewed, it stands for
# those Pods: its own Pod, sharing its claim, conflicts with it in no way.
optout_deployment(labels) := {
	"apiVersion": "apps/v1", "kind": "Deployment",
	"metadata": {"namespace": "shop", "name": "web", "creationTimestamp": "2026-01-01T00:00:00Z"},
	"spec": {"template": {"metadata": {"labels": labels}, "spec": fx.pod("shop", "x", "s0:c1,c2", "data").spec}},
}

optout_inventory(ns_labels, deployment, pods) := {
	"namespace": {"shop": {
		"v1": {"PersistentVolumeClaim": {"data": fx.bound_pvc("shop", "data", "pv-data")}, "Pod": pods},
		"apps/v1": {"Deployment": {"web": deployment}},
	}},
	"cluster": {
		"v1": {
			"PersistentVolume": {"pv-data": fx.csi_pv("pv-data", "ebs.csi.aws.com", "vol-1", "shop", "data")},
			"Namespace": {"shop": fx.namespace("shop", ns_labels)},
		},
		"storage.k8s.io/v1": {"CSIDriver": {"ebs.csi.aws.com": fx.csidriver("ebs.csi.aws.com", true)}},
	},
}

# web's Pod, as the mutators stored it: the namespace's policy set.
optout_web_pod(policy) := ts(fx.with_spec(fx.pod("shop", "web-7d4b9-x2x9q", "s0:c1,c2", "data"), {"securityContext": {"seLinuxOptions": {"level": "s0:c1,c2"}, "seLinuxChangePolicy": policy}}), "2026-01-01T00:00:01Z")

conflict_rules := {"SELINUX-001", "SELINUX-002", "SELINUX-006"}

test_optout_workload_in_inventory_reads_as_its_pods if {
	every policy in ["Recursive", "MountOption"] {
		pod := optout_web_pod(policy)
		inv := optout_inventory({"selmount.io/change-policy": policy}, optout_deployment({"app": "web"}), {})
		vs := gatekeeper.violation with input as {"review": {"object": pod, "operation": "CREATE"}} with data.inventory as inv
		count({v | some v in vs; v.details.rule in conflict_rules}) == 0
	}
}

test_optout_workload_reviewed_reads_as_its_pods if {
	every policy in ["Recursive", "MountOption"] {
		d := optout_deployment({"app": "web"})
		inv := optout_inventory({"selmount.io/change-policy": policy}, d, {"web-7d4b9-x2x9q": optout_web_pod(policy)})

		# admission (a rollout) and audit of the stored Deployment: no conflict, and no SELINUX-004
		# either, since its Pods get the policy when created.
		vs := gatekeeper.violation with input as {"review": {"object": d, "operation": "UPDATE", "oldObject": d}} with data.inventory as inv
		count(vs) == 0
		audit := gatekeeper.violation with input as {"review": {"object": d}} with data.inventory as inv
		count(audit) == 0
	}
}

# The reading is the opt-out's: no label, an invalid one, a template that sets a policy, a template
# labelled selmount.io/os=windows or a Windows template keep the workload as stored, and the Pod
# (here Recursive) conflicts with it (label and policy; the kubelet refuses the Pod beside a Linux
# workload, and never mounts a Windows one).
test_optout_workload_reading_only_where_the_mutators_act if {
	pod := optout_web_pod("Recursive")
	windows := json.patch(optout_deployment({}), [{"op": "add", "path": "/spec/template/spec/os", "value": {"name": "windows"}}])
	cases := [
		[{}, optout_deployment({}), conflict_rules],
		[{"selmount.io/change-policy": "recursive"}, optout_deployment({}), conflict_rules],
		[{"selmount.io/change-policy": "Recursive"}, optout_deployment({"selmount.io/os": "windows"}), conflict_rules],
		[{"selmount.io/change-policy": "Recursive"}, json.patch(optout_deployment({}), [{"op": "add", "path": "/spec/template/spec/securityContext/seLinuxChangePolicy", "value": "MountOption"}]), conflict_rules],
		[{"selmount.io/change-policy": "Recursive"}, windows, {"SELINUX-001", "SELINUX-002"}],
	]
	every c in cases {
		vs := gatekeeper.violation with input as {"review": {"object": pod, "operation": "CREATE"}} with data.inventory as optout_inventory(c[0], c[1], {})
		{v.details.rule | some v in vs; v.details.rule in conflict_rules} == c[2]
	}
}
