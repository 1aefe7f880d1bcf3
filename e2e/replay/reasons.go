package replay

// Reasons a replay on a real server parts from the model, shared by every installation replayed
// (bundles, controllers, the webhook), each the consequence of a real server holding live objects
// where the model reads a scenario as manifests or a dump.
const (
	// ReasonDumpUIDs: a dump's claims are created anew, so their claimRefs name other claims.
	ReasonDumpUIDs = "a cluster dump's claims are replayed as new objects: the API server gives each a new uid and drops its status, so a PV claimRef carrying the dump's uid names another claim for the binder the replay plays (the claim stays Pending and the admission, reading a live cluster, resolves no volume), where the model compares the dump's own uids and phases"
	// ReasonUnboundDumpClaim: a dump's unbound claim is provisioned on a live server.
	ReasonUnboundDumpClaim = "the dump's claim staging names no volume: on a real server a provisioner gives it one, which the replay plays, and the two Pods then meet on it; the model reads the dump as a snapshot in which staging is unbound and resolves no volume (Decision 6)"
	// ReasonNoClass: a claim without a StorageClass can never be provisioned on a live server.
	ReasonNoClass = "the claim names no StorageClass and the input has none (manifests from git, Decision 6): on a real server no volume can be provisioned, the claim stays Pending and the admission resolves no volume, where the model assumes the worst case for manifests"
)
