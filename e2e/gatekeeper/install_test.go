package gatekeeper

import "testing"

// TestREADMEInstall runs gatekeeper/README.md's install commands on a fresh server with Gatekeeper
// running: every command must succeed as written.
func TestREADMEInstall(t *testing.T) {
	e := startGatekeeper(t, serverVersion, quietAudit)
	e.install(t, "gatekeeper/README.md")
}
