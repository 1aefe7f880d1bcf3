package cluster

import (
	"os"
	"path/filepath"
)

// AuditFiles are the audit policy the API server reads and the JSON log it writes.
type AuditFiles struct {
	PolicyFile, LogFile string
}

// auditPolicy logs Pod writes, the requests map/'s policies match (pods and pods/ephemeralcontainers),
// at Metadata: that level carries the admission annotations (`<policy>/evaluated`, validation_failure)
// without the request bodies. RequestReceived is left out: it comes before admission, so it has no
// annotations. Everything else is not logged, so the log stays small.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  verbs: [create, update, patch]
  resources:
  - group: ""
    resources: [pods, pods/ephemeralcontainers]
- level: None
`

// WriteAuditPolicy writes the audit policy into dir and names the log next to it.
func WriteAuditPolicy(dir string) (AuditFiles, error) {
	a := AuditFiles{PolicyFile: filepath.Join(dir, "audit-policy.yaml"), LogFile: filepath.Join(dir, "audit.log")}
	return a, os.WriteFile(a.PolicyFile, []byte(auditPolicy), 0o600)
}

// Args are the audit flags. The log backend blocks: each event is written before the request's
// handler returns, so a test finds it moments after the response instead of after a batch wait.
func (a AuditFiles) Args() []string {
	return []string{
		"--audit-policy-file=" + a.PolicyFile,
		"--audit-log-path=" + a.LogFile,
		"--audit-log-format=json",
		"--audit-log-mode=blocking",
	}
}
