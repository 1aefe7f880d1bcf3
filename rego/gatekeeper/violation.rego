# METADATA
# title: selmount (Gatekeeper)
# description: >-
#   Gatekeeper entry point: input.review.object is the reviewed Pod (or workload); the cluster comes
#   from data.inventory (Pods ordered by creationTimestamp, then name; the reviewed object last).
#   Only findings about the reviewed object are reported.
# custom:
#   id: SELINUX-001..006
#   severity: error
package selmount.gatekeeper

import data.selmount.lib.findings
import data.selmount.lib.input as inp
import data.selmount.lib.objects

reviewed_ref := {"namespace": p.namespace, "name": p.name} if p := objects.pod_of(inp.objects[count(inp.objects) - 1])

# METADATA
# title: selmount findings about the reviewed object
# description: Every selmount rule (SELINUX-001..006) about the reviewed Pod or workload.
# custom:
#   id: SELINUX-001..006
#   severity: error
violation contains {"msg": f.msg, "details": object.remove(f, ["msg"])} if {
	inp.gatekeeper
	some f in findings.results
	f.pod == reviewed_ref
}
