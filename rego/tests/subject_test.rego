# conftest messages name their subject first: the kind, namespace and name of the finding's own Pod
# or workload and, with --combine, its file; the finding's text follows unchanged.
package selmount.test.subject

import data.SELINUX_001
import data.SELINUX_002
import data.SELINUX_003
import data.SELINUX_004
import data.SELINUX_005
import data.SELINUX_006
import data.lib.selmount.findings
import data.main
import data.selmount.test.fixtures as fx

combined := [
	{"path": "deploy/storage.yaml", "contents": fx.pvc("shop", "data", ["ReadWriteOnce"])},
	{"path": "deploy/a.yaml", "contents": [fx.pod("shop", "a", "s0:c1,c2", "data")]},
	{"path": "deploy/b.yaml", "contents": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "b", "namespace": "shop"}, "spec": {"template": {"spec": fx.pod("shop", "b", "s0:c3,c4", "data").spec}}}},
]

results := main.deny | main.warn

test_every_message_starts_with_rule_and_subject if {
	fs := results with input as combined
	count(fs) == 3
	every f in fs {
		subject := {"a": "Pod shop/a in deploy/a.yaml", "Deployment/b": "Deployment shop/b in deploy/b.yaml"}[f.pod.name]
		startswith(f.msg, concat("", [f.rule, ": ", subject, ": "]))
		f._loc == {"file": sprintf("deploy/%s.yaml", [lower(substring(f.pod.name, count(f.pod.name) - 1, 1))]), "line": 1}
	}
}

test_finding_text_stays_intact_after_the_subject if {
	fs := results with input as combined
	texts := {concat("", [f.rule, ": ", substring(f.msg, count(prefix(f)), -1)]) | some f in fs}
	model := {f.msg | some f in findings.results with input as combined}
	texts == model
}

prefix(f) := p if {
	[_, rest] := regex.split(`^SELINUX-00[0-9]: `, f.msg)
	parts := split(rest, ": ")
	p := concat("", [f.rule, ": ", parts[0], ": "])
}

test_without_paths_the_subject_has_no_file if {
	fs := main.warn with input as [fx.pvc("shop", "data", ["ReadWriteOnce"]), fx.pod("shop", "a", "s0:c1,c2", "data"), fx.pod("shop", "b", "s0:c3,c4", "data")]
	some f in fs
	f.pod.name == "a"
	f.rule == "SELINUX-001"
	f.msg == `SELINUX-001: Pod shop/a: SELinuxLabel ":::s0:c1,c2" conflicts with pod b that uses the same volume as this pod with SELinuxLabel ":::s0:c3,c4". If both pods land on the same node, only one of them may access the volume.`
	not f._loc
}

# The subject is the Pod's own namespace: another namespace's Pod is never named.
test_cross_namespace_subject_is_own_pod if {
	inp := [
		fx.csidriver("ebs.csi.aws.com", true),
		fx.csi_pv("pv-a", "ebs.csi.aws.com", "vol-1", "a", "data"),
		fx.csi_pv("pv-b", "ebs.csi.aws.com", "vol-1", "b", "data"),
		fx.bound_pvc("a", "data", "pv-a"),
		fx.bound_pvc("b", "data", "pv-b"),
		{"path": "one.yaml", "contents": fx.pod("a", "one", "s0:c1,c2", "data")},
		{"path": "two.yaml", "contents": fx.pod("b", "two", "s0:c3,c4", "data")},
	]
	fs := results with input as inp
	count(fs) == 3
	every f in fs {
		own := {"one": "Pod a/one in one.yaml: ", "two": "Pod b/two in two.yaml: "}[f.pod.name]
		contains(f.msg, own)
		other := {"one": ["b/two", "pod two"], "two": ["a/one", "pod one"]}[f.pod.name]
		every o in other {
			not contains(f.msg, o)
		}
	}
}

# An update replaces a pod in place: the subject's file is the version in effect.
test_updated_pod_names_the_latest_file if {
	inp := [
		{"path": "old.yaml", "contents": fx.pod("s", "a", "s0:c1", "d")},
		{"path": "b.yaml", "contents": fx.pod("s", "b", "s0:c2", "d")},
		{"path": "new.yaml", "contents": fx.pod("s", "a", "s0:c3", "d")},
	]
	fs := main.warn with input as inp
	some f in fs
	f.pod.name == "a"
	startswith(f.msg, "SELINUX-001: Pod s/a in new.yaml: ")
}

# One package per rule (for conftest's SARIF rule IDs, SELINUX_00N/deny|warn) holds data.main's results.
test_rule_packages_partition_main if {
	per_rule := (((((((SELINUX_001.warn | SELINUX_002.warn) | SELINUX_003.deny) | SELINUX_003.warn) | SELINUX_004.warn) | SELINUX_005.deny) | SELINUX_005.warn) | SELINUX_006.deny) | SELINUX_006.warn with input as combined
	all := results with input as combined
	per_rule == all
	count(all) > 0
	refused := SELINUX_006.deny with input as combined
	count(refused) == 1
	every f in refused {
		f.rule == "SELINUX-006"
		f.severity == "error"
	}
}
