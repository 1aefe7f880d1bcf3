# What the API server refuses (policies/rules_pod.go, rejection): a Pod whose seLinuxChangePolicy it
# rejects is never stored, so no controller and no kubelet ever sees it (volumes.pods leaves it out),
# and its SELINUX-005 error is all there is to say about it.
package lib.selmount.apiserver

import data.lib.selmount.gates
import data.lib.selmount.input as inp
import data.lib.selmount.objects as st

valid_policies := st.valid_policies

# rejection names why the policy is refused: windows, invalid or mountoption (SELinuxMount off).
# Without the ChangePolicy gate the API server drops the field before validating it (Decision 1).
rejection(p) := "windows" if {
	gates.cp
	p.hasPolicy
	p.windows
} else := "invalid" if {
	gates.cp
	p.hasPolicy
	not p.policy in valid_policies
} else := "mountoption" if {
	gates.cp
	p.hasPolicy
	p.policy == "MountOption"
	not gates.mount
	not updated_with_policy(p)
}

rejected(p) if rejection(p)

# updated_with_policy: the reviewed object (the last input object) of an UPDATE whose old object set a policy.
updated_with_policy(p) if {
	inp.old_has_policy
	reviewed := st.pod_of(inp.objects[count(inp.objects) - 1])
	[p.namespace, p.name] == [reviewed.namespace, reviewed.name]
}
