# Gatekeeper side of the library: input.review.object is the reviewed Pod (or workload); the
# cluster comes from data.inventory (input.rego reads the part that matters). Only findings about
# the reviewed object are reported. Each ConstraintTemplate's entry point keeps its own rule's.
package lib.selmount.gatekeeper

import data.lib.selmount.findings
import data.lib.selmount.input as inp
import data.lib.selmount.objects
import data.lib.selmount.subject

reviewed_ref := {"namespace": p.namespace, "name": p.name} if p := objects.pod_of(inp.objects[count(inp.objects) - 1])

# violation: every finding about the reviewed object, as Gatekeeper results ({msg, details}).
# The message names the reviewed object first ("SELINUX-00N: <Kind> <namespace>/<name>: ..."), as an
# audit result in a constraint's status is read out of the admission's context.
violation contains {"msg": subject.message(f), "details": object.remove(f, ["msg"])} if {
	inp.gatekeeper
	some f in findings.results
	f.pod == reviewed_ref
}

# of(rule) are the violations one template reports: its rule's, of the severities the constraint's
# parameters.severities lists (all by default; the deny overlay splits errors from warnings).
of(rule) := {v |
	some v in violation
	v.details.rule == rule
	v.details.severity in severities
}

severities := s if {
	s := input.parameters.severities
	is_array(s)
} else := ["error", "warning"]
