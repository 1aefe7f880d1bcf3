package replay

// NotAClusterState are scenarios of the model's edge cases that no API server stores, with why: the
// model follows the kubelet's code for them, but no real request can carry them. Every replay skips
// them and says why.
var NotAClusterState = map[string]string{
	"rwo-plus-rwop-pv-v136-not-eligible": "a PV and a claim with ReadWriteOncePod next to another access mode, which API validation refuses (\"may not use ReadWriteOncePod with other access modes\"); the kubelet's eligibility check for it is covered by the oracle",
}
