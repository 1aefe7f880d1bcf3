package gatekeeper

// Found lists the differences this replay finds beyond harness/engines/gatekeeper/divergences.yaml,
// scenario → Pod (as the model names it) → reason. The test fails on any other difference and on a
// listed one that no longer happens.
var Found = map[string]map[string]string{
	"no-csidriver-in-input-assumes-support": {
		"shop/worker": "The scenario is manifests from git: its claim names StorageClass premium-rwx, which no object " +
			"creates. On a server the claim stays Pending (nothing provisions it), and the Rego resolves only " +
			"Bound claims of a cluster; the model reads a claim without status as one about to be provisioned.",
	},
}

// FoundDeny are further differences under overlays/deny only, as Found.
var FoundDeny = map[string]map[string]string{
	"same-node-kubelet-compares-with-first-pod-only": {
		"forum/forum-canary": "The deny overlay refused the earlier Pod resizer (its SELINUX-006 error), so the server " +
			"never stored it; the model does not model the overlay and keeps resizer in the cluster, and warns " +
			"forum-canary (SELINUX-001) about a conflict with it. The server's answer is the right one here.",
	},
}

// FoundReason is why a difference on pod in scenario is expected, or "".
func FoundReason(deny bool, scenario, pod string) string {
	if r := Found[scenario][pod]; r != "" {
		return r
	}
	if deny {
		return FoundDeny[scenario][pod]
	}
	return ""
}
