# The subject of a finding, for messages read out of context (conftest output, Gatekeeper audit):
# the kind, namespace and name of the Pod or workload it is about and, in conftest --combine mode,
# the file it came from. The subject is always the finding's own Pod, so naming it never names a
# Pod of another namespace.
package lib.selmount.subject

import data.lib.selmount.input as inp
import data.lib.selmount.objects as st
import data.lib.selmount.util

# latest[key] is the latest version of each Pod or workload (an update replaces a pod in place;
# its file is the file of the version in effect). A complete rule: computed once, not per finding.
latest := {k: st.raw_pods[i] | some [k, i] in util.last_positions(st.raw_pod_keys)}

key(ref) := concat("/", [ref.namespace, ref.name])

# text(ref) is "<Kind> <namespace>/<name>", with " in <file>" when the input names the file.
text(ref) := concat("", [s, " in ", file]) if {
	s := object_text(ref)
	file := file_of(ref)
	file != ""
} else := object_text(ref)

object_text(ref) := sprintf("%s %s/%s", [p.kind, p.namespace, p.displayName]) if {
	p := latest[key(ref)]
} else := sprintf("Pod %s/%s", [ref.namespace, ref.name])

file_of(ref) := inp.sources[latest[key(ref)].index] if not inp.gatekeeper

else := ""

# message puts the subject first, after the rule ID: "SELINUX-00N: <subject>: <the finding's text>".
# The finding's text (the controller's or kubelet's wording) stays intact.
message(f) := concat("", [f.rule, ": ", text(f.pod), ": ", trim_prefix(f.msg, concat("", [f.rule, ": "]))])

# location is conftest's "_loc", the file of a result in its SARIF output; undefined without a file.
# Rego sees no line numbers, so the line is 1 (SARIF regions start at 1; conftest would write 0).
location(ref) := {"file": file, "line": 1} if {
	file := file_of(ref)
	file != ""
}
