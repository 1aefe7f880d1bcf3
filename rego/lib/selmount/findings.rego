# Every finding of the model's Audit, as result objects: msg, rule, severity, pod {namespace, name},
# and, when set, otherPod, volume, property, values, latent, assumed (the model's JSON, omitempty).
package lib.selmount.findings

import data.lib.selmount.apiserver
import data.lib.selmount.controller
import data.lib.selmount.gates
import data.lib.selmount.kubelet
import data.lib.selmount.objects as st
import data.lib.selmount.selinux
import data.lib.selmount.volumes

ref(p) := {"namespace": p.namespace, "name": p.name}

# finding drops the fields the model omits when empty.
finding(f) := {k: v |
	some k, v in f
	not empty(v)
}

empty(false)

empty("")

empty([])

empty(null)

rule_ids := {"SELinuxLabel": "SELINUX-001", "SELinuxChangePolicy": "SELINUX-002"}

# SELINUX-001 / SELINUX-002: the controller's conflicts, message = the event text.
results contains finding({
	"msg": concat(": ", [rule, controller.event_message(c)]),
	"rule": rule, "severity": "warning", "pod": c.pod, "otherPod": c.otherPod, "volume": c.volume,
	"property": c.property, "values": [c.podValue, c.otherPodValue],
	"assumed": c.volume in volumes.assumed_keys,
}) if {
	some c in controller.conflicts
	rule := rule_ids[c.property]
}

quoted(labels) := concat(", ", [sprintf("%q", [l]) | some l in labels])

# The model keeps one finding per (rule, pod, otherPod, volume, property, values): the first in its
# order. Two pod volumes on one claim give such twins with different messages.
results contains first[1] if {
	some _, candidates in ordered
	first := min(candidates)
}

# SELINUX-003: error when the volume is eligible (the kubelet refuses the pod), warning otherwise.
ordered[[f.rule, f.pod, f.volume, f.values]] contains [m.order, f] if {
	some m in kubelet.multiple
	[severity, outcome] := multiple_outcome(m.error)
	f := finding({
		"msg": sprintf("SELINUX-003: containers of %s mount volume %q with different SELinux labels (%s); %s%s", [m.pod.name, m.name, quoted(m.labels), outcome, random_level_hint(m.labels)]),
		"rule": "SELINUX-003", "severity": severity, "pod": ref(m.pod),
		"volume": volume_id(m), "values": m.labels, "assumed": m.volume.assumed,
	})
}

# random_level_hint explains a label the kubelet gave a random level, which users rarely expect.
random_level_hint(labels) := "; seLinuxOptions that set a user, role or type but no level get a random level for each container and mount, so they match no other label: set seLinuxOptions.level" if {
	some l in labels
	contains(l, selinux.random_level_text)
} else := ""

multiple_outcome(true) := ["error", "the kubelet refuses to start the pod"]

multiple_outcome(false) := ["warning", "the kubelet counts a warning and the runtime relabels recursively"]

volume_id(m) := m.volume.key if m.volume.key != ""

else := m.name

# SELINUX-006: the later pod of a refused pair; latent (warning) when on different known nodes.
ordered[[f.rule, f.pod, f.otherPod, f.volume, f.values]] contains [r.order, f] if {
	some r in kubelet.refusals
	who := who_of(r)
	[severity, when] := refusal_outcome(r.latent, who)
	f := finding({
		"msg": sprintf("SELINUX-006: %s %s: %s%s", [r.pod.name, when, kubelet.conflict_message(kubelet.display_name(r), r.otherLabel, r.podLabel), random_level_hint([r.podLabel, r.otherLabel])]),
		"rule": "SELINUX-006", "severity": severity, "pod": ref(r.pod), "otherPod": ref(r.other),
		"volume": r.key, "values": [r.podLabel, r.otherLabel], "latent": r.latent, "assumed": r.volume.assumed,
	})
}

who_of(r) := concat(" ", ["pod", r.other.name]) if r.other.namespace == r.pod.namespace

else := "a pod in another namespace"

refusal_outcome(false, who) := ["error", concat("", ["stays in ContainerCreating on a node where ", who, " already uses the volume"])]

refusal_outcome(true, who) := ["warning", concat("", ["would stay in ContainerCreating if scheduled to the node of ", who, " (different nodes today)"])]

audited_pods := [p | some p in st.pods; not p.terminal]

misuse(p, msg) := {
	"msg": concat(": ", ["SELINUX-005", msg]), "rule": "SELINUX-005", "severity": "error", "pod": ref(p),
	"property": "seLinuxChangePolicy", "values": [p.policy],
}

# SELINUX-005: a seLinuxChangePolicy the API server rejects.
results contains misuse(p, sprintf("%s is a Windows pod; spec.securityContext.seLinuxChangePolicy cannot be set for a windows pod", [p.name])) if {
	some p in audited_pods
	apiserver.rejection(p) == "windows"
}

results contains misuse(p, sprintf("%s sets spec.securityContext.seLinuxChangePolicy %q; the API server accepts only Recursive or MountOption", [p.name, p.policy])) if {
	some p in audited_pods
	apiserver.rejection(p) == "invalid"
}

results contains misuse(p, sprintf("%s sets seLinuxChangePolicy MountOption, which the API server rejects while SELinuxMount is off (profile %s); use Recursive or leave it unset", [p.name, gates.name])) if {
	some p in audited_pods
	apiserver.rejection(p) == "mountoption"
}

# SELINUX-005 (warning): an opt-out label with an invalid value, for pods it would otherwise cover.
results contains {
	"msg": sprintf("SELINUX-005: namespace %s has %s=%q, which is neither Recursive nor MountOption; the label is ignored for %s", [p.namespace, st.opt_out_label, label, p.name]),
	"rule": "SELINUX-005", "severity": "warning", "pod": ref(p), "property": st.opt_out_label, "values": [label],
} if {
	some p in audited_pods
	not p.hasPolicy
	not p.windows
	label := st.namespace_label(p.namespace)
	not label in apiserver.valid_policies
}

# SELINUX-004: pods in an opted-out namespace that still lack the policy.
results contains {
	"msg": sprintf("SELINUX-004: namespace %s is opted out (%s), but %s has no spec.securityContext.seLinuxChangePolicy; %s", [p.namespace, value, p.name, when(p)]),
	"rule": "SELINUX-004", "severity": "warning", "pod": ref(p), "property": "seLinuxChangePolicy", "values": [value],
} if {
	some p in audited_pods
	not p.hasPolicy
	not p.windows
	value := st.namespace_label(p.namespace)
	value in apiserver.valid_policies
}

when(p) := "the opt-out sets it only when the pod is created: recreate it" if p.kind == "Pod"

else := "its Pods get it when they are next created (roll it out)"

errors := {f | some f in results; f.severity == "error"}

warnings := {f | some f in results; f.severity == "warning"}
