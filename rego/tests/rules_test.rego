# The findings' own texts (the model's messages) are tested on findings.errors / warnings; data.main
# adds the subject in front (subject_test.rego).
package selmount.test.rules

import data.lib.selmount.findings
import data.main
import data.selmount.test.fixtures as fx

two_pods := [
	fx.pvc("shop", "data", ["ReadWriteOnce"]),
	fx.pod("shop", "a", "s0:c1,c2", "data"),
	fx.pod("shop", "b", "s0:c3,c4", "data"),
]

test_conflict_same_namespace_messages if {
	warn := findings.warnings with input as two_pods
	some f in warn
	f.rule == "SELINUX-001"
	f.pod == fx.ref("shop", "a")
	f.msg == `SELINUX-001: SELinuxLabel ":::s0:c1,c2" conflicts with pod b that uses the same volume as this pod with SELinuxLabel ":::s0:c3,c4". If both pods land on the same node, only one of them may access the volume.`
	f.volume == "pvc/shop/data"
	f.values == [":::s0:c1,c2", ":::s0:c3,c4"]
	f.assumed == true
}

test_refusal_is_deny_with_kubelet_message if {
	deny := findings.errors with input as two_pods
	deny == {{
		"msg": `SELINUX-006: b stays in ContainerCreating on a node where pod a already uses the volume: conflicting SELinux labels of volume data: "system_u:object_r:container_file_t:s0:c1,c2" and "system_u:object_r:container_file_t:s0:c3,c4"`,
		"rule": "SELINUX-006", "severity": "error", "pod": fx.ref("shop", "b"), "otherPod": fx.ref("shop", "a"),
		"volume": "pvc/shop/data", "values": [fx.label("s0:c3,c4"), fx.label("s0:c1,c2")], "assumed": true,
	}}
}

# Two PVs with one CSI handle in two namespaces are one volume; messages hide the other pod.
cross_namespace := [
	fx.csidriver("ebs.csi.aws.com", true),
	fx.csi_pv("pv-a", "ebs.csi.aws.com", "vol-1", "a", "data"),
	fx.csi_pv("pv-b", "ebs.csi.aws.com", "vol-1", "b", "data"),
	fx.bound_pvc("a", "data", "pv-a"),
	fx.bound_pvc("b", "data", "pv-b"),
	fx.pod("a", "one", "s0:c1,c2", "data"),
	fx.pod("b", "two", "s0:c3,c4", "data"),
]

test_cross_namespace_censored if {
	fs := findings.results with input as cross_namespace
	some f in fs
	f.rule == "SELINUX-001"
	f.pod == fx.ref("a", "one")
	f.otherPod == fx.ref("b", "two")
	f.volume == "kubernetes.io/csi/ebs.csi.aws.com^vol-1"
	f.msg == `SELINUX-001: SELinuxLabel":::s0:c1,c2" conflicts with another pod that uses the same volume as this pod with a different SELinuxLabel. If both pods land on the same node, only one of them may access the volume.`
	some g in fs
	g.rule == "SELINUX-006"
	g.msg == `SELINUX-006: two stays in ContainerCreating on a node where a pod in another namespace already uses the volume: conflicting SELinux labels of volume pv-b: "system_u:object_r:container_file_t:s0:c1,c2" and "system_u:object_r:container_file_t:s0:c3,c4"`
	not g.assumed
}

test_policy_conflict_recursive_vs_mountoption if {
	rec := fx.with_spec(fx.pod("shop", "a", "s0:c1,c2", "data"), {"securityContext": {"seLinuxOptions": {"level": "s0:c1,c2"}, "seLinuxChangePolicy": "Recursive"}})
	fs := fx.compared(findings.results) with input as [rec, fx.pod("shop", "b", "s0:c1,c2", "data")]
	fs == {
		{"rule": "SELINUX-002", "severity": "warning", "pod": fx.ref("shop", "a"), "otherPod": fx.ref("shop", "b"), "volume": "pvc/shop/data", "property": "SELinuxChangePolicy", "values": ["Recursive", "MountOption"]},
		{"rule": "SELINUX-002", "severity": "warning", "pod": fx.ref("shop", "b"), "otherPod": fx.ref("shop", "a"), "volume": "pvc/shop/data", "property": "SELinuxChangePolicy", "values": ["MountOption", "Recursive"]},
		{"rule": "SELINUX-001", "severity": "warning", "pod": fx.ref("shop", "a"), "otherPod": fx.ref("shop", "b"), "volume": "pvc/shop/data", "property": "SELinuxLabel", "values": ["", ":::s0:c1,c2"]},
		{"rule": "SELINUX-001", "severity": "warning", "pod": fx.ref("shop", "b"), "otherPod": fx.ref("shop", "a"), "volume": "pvc/shop/data", "property": "SELinuxLabel", "values": [":::s0:c1,c2", ""]},
		{"rule": "SELINUX-006", "severity": "error", "pod": fx.ref("shop", "b"), "otherPod": fx.ref("shop", "a"), "volume": "pvc/shop/data", "values": [fx.label("s0:c1,c2"), ""]},
	}
}

test_multiple_labels_error_and_warning if {
	p := fx.with_spec(fx.pod("shop", "a", "s0:c1,c2", "data"), {
		"containers": [
			{"name": "x", "volumeMounts": [{"name": "data", "mountPath": "/d"}, {"name": "tmp", "mountPath": "/t"}]},
			{"name": "y", "securityContext": {"seLinuxOptions": {"level": "s0:c9"}}, "volumeMounts": [{"name": "data", "mountPath": "/d"}, {"name": "tmp", "mountPath": "/t"}]},
		],
		"volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}, {"name": "tmp", "emptyDir": {}}],
	})
	deny := findings.errors with input as [p]
	warn := findings.warnings with input as [p]
	[f | some f in deny] == [{
		"msg": `SELINUX-003: containers of a mount volume "data" with different SELinux labels ("system_u:object_r:container_file_t:s0:c1,c2", "system_u:object_r:container_file_t:s0:c9"); the kubelet refuses to start the pod`,
		"rule": "SELINUX-003", "severity": "error", "pod": fx.ref("shop", "a"), "volume": "pvc/shop/data",
		"values": [fx.label("s0:c1,c2"), fx.label("s0:c9")], "assumed": true,
	}]
	[f | some f in warn] == [{
		"msg": `SELINUX-003: containers of a mount volume "tmp" with different SELinux labels ("system_u:object_r:container_file_t:s0:c1,c2", "system_u:object_r:container_file_t:s0:c9"); the kubelet counts a warning and the runtime relabels recursively`,
		"rule": "SELINUX-003", "severity": "warning", "pod": fx.ref("shop", "a"), "volume": "tmp",
		"values": [fx.label("s0:c1,c2"), fx.label("s0:c9")],
	}]
}

test_latent_and_same_node if {
	a := fx.with_spec(fx.pod("n", "a", "s0:c1", "d"), {"nodeName": "w1"})
	b := fx.with_spec(fx.pod("n", "b", "s0:c2", "d"), {"nodeName": "w2"})
	c := fx.with_spec(fx.pod("n", "c", "s0:c2", "d"), {"nodeName": "w1"})
	fs := {[f.pod.name, f.otherPod.name, f.severity, object.get(f, "latent", false)] | some f in findings.results with input as [a, b, c]; f.rule == "SELINUX-006"}
	fs == {["b", "a", "warning", true], ["c", "a", "error", false]}
}

test_same_node_only_first_pod_holds if {
	a := fx.with_spec(fx.pod("n", "a", "s0:c1", "d"), {"nodeName": "w1"})
	b := fx.with_spec(fx.pod("n", "b", "s0:c2", "d"), {"nodeName": "w1"})
	c := fx.with_spec(fx.pod("n", "c", "s0:c1", "d"), {"nodeName": "w1"})
	fs := {[f.pod.name, f.otherPod.name] | some f in findings.results with input as [a, b, c]; f.rule == "SELINUX-006"}
	fs == {["b", "a"]}
}

# two_mounts mounts claim d through two pod volumes, "in" then "out", at two levels, on node w1.
two_mounts(name, first, second) := {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"namespace": "n", "name": name},
	"spec": {
		"nodeName": "w1",
		"containers": [
			{"name": "x", "securityContext": {"seLinuxOptions": {"level": first}}, "volumeMounts": [{"name": "in", "mountPath": "/in"}]},
			{"name": "y", "securityContext": {"seLinuxOptions": {"level": second}}, "volumeMounts": [{"name": "out", "mountPath": "/out"}]},
		],
		"volumes": [{"name": "in", "persistentVolumeClaim": {"claimName": "d"}}, {"name": "out", "persistentVolumeClaim": {"claimName": "d"}}],
	},
}

# A pod refused on its first pod volume is not on the volume yet: the kubelet compares the next one too.
test_second_pod_volume_compared_after_a_refusal if {
	a := fx.with_spec(fx.pod("n", "a", "s0:c1", "d"), {"nodeName": "w1"})
	both := {f.values | some f in findings.errors with input as [a, two_mounts("b", "s0:c2", "s0:c3")]; f.rule == "SELINUX-006"}
	both == {[fx.label("s0:c2"), fx.label("s0:c1")], [fx.label("s0:c3"), fx.label("s0:c1")]}
	second := {f.values | some f in findings.errors with input as [a, two_mounts("b", "s0:c2", "s0:c1")]; f.rule == "SELINUX-006"}
	second == {[fx.label("s0:c2"), fx.label("s0:c1")]}
	first := {f | some f in findings.errors with input as [a, two_mounts("b", "s0:c1", "s0:c2")]; f.rule == "SELINUX-006"}
	count(first) == 0
}

test_unscheduled_pod_meets_every_earlier_pod if {
	a := fx.with_spec(fx.pod("n", "a", "s0:c1", "d"), {"nodeName": "w1"})
	b := fx.with_spec(fx.pod("n", "b", "s0:c2", "d"), {"nodeName": "w1"})
	c := fx.pod("n", "c", "s0:c3", "d")
	fs := {[f.pod.name, f.otherPod.name] | some f in findings.results with input as [a, b, c]; f.rule == "SELINUX-006"}
	fs == {["b", "a"], ["c", "a"], ["c", "b"]}
}

test_profile_v136_rwx_not_eligible if {
	inp := [fx.pvc("s", "d", ["ReadWriteMany"]), fx.pod("s", "a", "s0:c1", "d"), fx.pod("s", "b", "s0:c2", "d")]
	deny := main.deny with input as inp with data.selmount.profile as {"rwop": true, "cp": true, "mount": false}
	count(deny) == 0
	deny37 := main.deny with input as inp
	count(deny37) == 1
}

test_profile_v136_rwop_claim_eligible if {
	inp := [fx.pvc("s", "d", ["ReadWriteOncePod"]), fx.pod("s", "a", "s0:c1", "d"), fx.pod("s", "b", "s0:c2", "d")]
	deny := main.deny with input as inp with data.selmount.profile as "v1.36"
	count(deny) == 1
}

test_profile_rwop_gate_off_silences_labels if {
	inp := [fx.pod("s", "a", "s0:c1", "d"), fx.pod("s", "b", "s0:c2", "d")]
	fs := findings.results with input as inp with data.selmount.profile as {"rwop": false}
	count(fs) == 0
}

test_mountoption_rejected_when_mount_gate_off if {
	p := fx.with_spec(fx.pod("s", "a", "s0:c1", "d"), {"securityContext": {"seLinuxChangePolicy": "MountOption"}})
	deny := findings.errors with input as [p] with data.selmount.profile as {"mount": false}
	deny == {{
		"msg": "SELINUX-005: a sets seLinuxChangePolicy MountOption, which the API server rejects while SELinuxMount is off (profile v1.37,SELinuxMount=false); use Recursive or leave it unset",
		"rule": "SELINUX-005", "severity": "error", "pod": fx.ref("s", "a"), "property": "seLinuxChangePolicy", "values": ["MountOption"],
	}}
	deny36 := findings.errors with input as [p] with data.selmount.profile as "v1.36"
	some f in deny36
	contains(f.msg, "(profile v1.36)")
	count(findings.errors) == 0 with input as [p]
}

test_unknown_and_windows_policy if {
	u := fx.with_spec(fx.pod("s", "u", "s0:c1", "d"), {"securityContext": {"seLinuxChangePolicy": "Sometimes"}})
	w := fx.with_spec(fx.pod("s", "w", "s0:c1", "e"), {"os": {"name": "windows"}, "securityContext": {"seLinuxChangePolicy": "Recursive"}})
	msgs := {f.msg | some f in findings.errors with input as [u, w]}
	msgs == {
		`SELINUX-005: u sets spec.securityContext.seLinuxChangePolicy "Sometimes"; the API server accepts only Recursive or MountOption`,
		"SELINUX-005: w is a Windows pod; spec.securityContext.seLinuxChangePolicy cannot be set for a windows pod",
	}
}

test_optout_audit_and_invalid_label if {
	inp := [
		fx.namespace("legacy", {"selmount.io/change-policy": "Recursive"}),
		fx.namespace("odd", {"selmount.io/change-policy": "recursive"}),
		fx.pod("legacy", "p", "s0:c1", "a"),
		fx.pod("odd", "q", "s0:c1", "b"),
		fx.with_spec(fx.pod("legacy", "win", "s0:c1", "c"), {"os": {"name": "windows"}}),
		fx.with_spec(fx.pod("legacy", "set", "s0:c1", "e"), {"securityContext": {"seLinuxChangePolicy": "MountOption"}}),
	]
	msgs := {f.msg | some f in findings.warnings with input as inp}
	msgs == {
		"SELINUX-004: namespace legacy is opted out (Recursive), but p has no spec.securityContext.seLinuxChangePolicy; the opt-out sets it only when the pod is created: recreate it",
		`SELINUX-005: namespace odd has selmount.io/change-policy="recursive", which is neither Recursive nor MountOption; the label is ignored for q`,
	}
}

# A workload in an opted-out namespace is read as the Pods its controller creates, which the opt-out
# gives the namespace's value (as the model reads it): no SELINUX-004 on its template, and its Pods
# are Recursive like p, so no conflict on the claim they share. The selmount.io/os label is
# Gatekeeper's (its mutators cannot see spec.os.name); conftest, like the model, goes by spec.os.name.
optout_template(labels) := {"metadata": {"labels": labels}, "spec": fx.pod("legacy", "x", "s0:c2", "data").spec}

optout_workloads(ns_labels) := [
	fx.namespace("legacy", ns_labels),
	fx.pvc("legacy", "data", ["ReadWriteOnce"]),
	fx.with_spec(fx.pod("legacy", "p", "s0:c1", "data"), {"securityContext": {"seLinuxOptions": {"level": "s0:c1"}, "seLinuxChangePolicy": "Recursive"}}),
	{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "legacy"}, "spec": {"template": optout_template({})}},
	{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "labelled", "namespace": "legacy"}, "spec": {"template": optout_template({"selmount.io/os": "windows"})}},
	{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report", "namespace": "legacy"}, "spec": {"jobTemplate": {"spec": {"template": optout_template({})}}}},
]

test_optout_workloads_read_as_their_pods if {
	count(findings.results) == 0 with input as optout_workloads({"selmount.io/change-policy": "Recursive"})

	# Without the opt-out the same templates conflict with p.
	{f.pod.name | some f in findings.results with input as optout_workloads({})} == {"p", "Deployment/web", "Deployment/labelled", "CronJob/report"}
}

test_terminal_pods_ignored if {
	done := object.union(fx.pod("s", "a", "s0:c1", "d"), {"status": {"phase": "Succeeded"}})
	fs := findings.results with input as [done, fx.pod("s", "b", "s0:c2", "d")]
	count(fs) == 0
}

# Null, {} and absent fields break nothing.
test_null_and_empty_fields if {
	inp := [
		{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"securityContext": null, "volumes": null, "containers": [{"name": "c", "securityContext": null, "volumeMounts": null}]}},
		{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}, "spec": {"securityContext": {"seLinuxOptions": {}, "seLinuxChangePolicy": null}, "containers": [{"name": "c", "volumeMounts": [{"name": "d", "mountPath": "/d"}]}], "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "x"}}]}},
		{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "c"}},
		{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "d"}, "spec": null, "status": null},
		{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "e"}, "spec": null},
		{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "x"}, "spec": null},
		null,
		"text",
		fx.pod("default", "f", "s0:c1", "x"),
	]
	fs := fx.compared(findings.results) with input as inp
	fs == {
		{"rule": "SELINUX-001", "severity": "warning", "pod": fx.ref("default", "b"), "otherPod": fx.ref("default", "f"), "volume": "pvc/default/x", "property": "SELinuxLabel", "values": ["", ":::s0:c1"]},
		{"rule": "SELINUX-001", "severity": "warning", "pod": fx.ref("default", "f"), "otherPod": fx.ref("default", "b"), "volume": "pvc/default/x", "property": "SELinuxLabel", "values": [":::s0:c1", ""]},
		{"rule": "SELINUX-002", "severity": "warning", "pod": fx.ref("default", "b"), "otherPod": fx.ref("default", "f"), "volume": "pvc/default/x", "property": "SELinuxChangePolicy", "values": ["Recursive", "MountOption"]},
		{"rule": "SELINUX-002", "severity": "warning", "pod": fx.ref("default", "f"), "otherPod": fx.ref("default", "b"), "volume": "pvc/default/x", "property": "SELinuxChangePolicy", "values": ["MountOption", "Recursive"]},
		{"rule": "SELINUX-006", "severity": "error", "pod": fx.ref("default", "f"), "otherPod": fx.ref("default", "b"), "volume": "pvc/default/x", "values": [fx.label("s0:c1"), ""]},
	}
}

# conftest --combine input: [{path, contents}], contents one document or several; List dumps.
test_conftest_combined_input_and_list if {
	inp := [
		{"path": "a.yaml", "contents": [fx.pvc("s", "d", ["ReadWriteOnce"]), fx.pod("s", "a", "s0:c1", "d")]},
		{"path": "b.json", "contents": {"apiVersion": "v1", "kind": "List", "items": [fx.pod("s", "b", "s0:c2", "d")]}},
	]
	deny := main.deny with input as inp
	{[f.pod.name, f.otherPod.name] | some f in deny} == {["b", "a"]}
	deny_rev := main.deny with input as [inp[1], inp[0]]
	{[f.pod.name, f.otherPod.name] | some f in deny_rev} == {["a", "b"]}
}

test_single_document_input if {
	count(main.deny) == 0 with input as fx.pod("s", "a", "s0:c1", "d")
}

# The kubelet's populator adds b's pod volumes in spec.volumes order: "two" meets a's label, and "one"
# is never compared (b is already on the volume).
test_second_pod_volume_on_one_volume_is_not_compared if {
	a := fx.pod("s", "a", "s0:c1", "d")
	b := fx.with_spec(fx.pod("s", "b", "s0:c2", "d"), {
		"containers": [{"name": "c", "volumeMounts": [{"name": "one", "mountPath": "/1"}, {"name": "two", "mountPath": "/2"}]}],
		"volumes": [{"name": "two", "persistentVolumeClaim": {"claimName": "d"}}, {"name": "one", "persistentVolumeClaim": {"claimName": "d"}}],
	})
	deny := findings.errors with input as [a, b]
	[f.msg | some f in deny] == [`SELINUX-006: b stays in ContainerCreating on a node where pod a already uses the volume: conflicting SELinux labels of volume two: "system_u:object_r:container_file_t:s0:c1" and "system_u:object_r:container_file_t:s0:c2"`]
}

# A later object with the same identity replaces the pod in place (an update).
test_pod_update_keeps_position if {
	a := fx.pod("s", "a", "s0:c1", "d")
	b := fx.pod("s", "b", "s0:c2", "d")
	a2 := fx.pod("s", "a", "s0:c3", "d")
	deny := main.deny with input as [a, b, a2]
	{[f.pod.name, f.otherPod.name, f.values[0]] | some f in deny} == {["b", "a", fx.label("s0:c2")]}
}

# Two pods sharing two volumes: each directed conflict once, on the smallest volume key.
test_controller_dedup_smallest_volume if {
	a := fx.with_spec(fx.pod("s", "a", "s0:c1", "zz"), {
		"containers": [{"name": "c", "volumeMounts": [{"name": "one", "mountPath": "/1"}, {"name": "two", "mountPath": "/2"}]}],
		"volumes": [{"name": "one", "persistentVolumeClaim": {"claimName": "zz"}}, {"name": "two", "persistentVolumeClaim": {"claimName": "aa"}}],
	})
	b := fx.with_spec(a, {"securityContext": {"seLinuxOptions": {"level": "s0:c2"}}})
	b2 := object.union(b, {"metadata": {"name": "b"}})
	fs := [[f.pod.name, f.volume] | some f in main.warn with input as [a, b2]; f.rule == "SELINUX-001"]
	sort(fs) == [["a", "pvc/s/aa"], ["b", "pvc/s/aa"]]
	count([f | some f in main.deny with input as [a, b2]]) == 2
}

# Windows pods: the controller still sees them, the kubelet view skips them.
test_windows_pod_controller_only if {
	w := fx.with_spec(fx.pod("s", "w", "s0:c2", "d"), {"os": {"name": "windows"}})
	fs := {f.rule | some f in findings.results with input as [fx.pod("s", "a", "s0:c1", "d"), w]}
	fs == {"SELINUX-001"}
}

# Block devices never count; subPath is ignored.
test_volume_devices_ignored if {
	a := fx.pod("s", "a", "s0:c1", "d")
	b := fx.with_spec(fx.pod("s", "b", "s0:c2", "d"), {"containers": [{"name": "c", "volumeDevices": [{"name": "data", "devicePath": "/dev/x"}]}]})
	count(findings.results) == 0 with input as [a, b]
	c := fx.with_spec(fx.pod("s", "c", "s0:c2", "d"), {"containers": [{"name": "c", "volumeMounts": [{"name": "data", "mountPath": "/x", "subPath": "sub"}]}]})
	count(findings.results) == 3 with input as [a, c]
}
