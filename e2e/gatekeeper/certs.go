package gatekeeper

import (
	"os"
	"path/filepath"

	"github.com/selmount/selmount/e2e/cluster"
)

// WriteWebhookCert writes tls.crt and tls.key (the names the manager reads from --cert-dir) for IP
// 127.0.0.1 into dir, self-signed, and returns the certificate as the webhooks' caBundle. The release
// lets the manager rotate its own certificate for the Service's DNS name; with --disable-cert-rotation
// it serves these, which the loopback URLs match.
func WriteWebhookCert(dir string) ([]byte, error) {
	certPEM, keyPEM, err := cluster.LoopbackCert("selmount-e2e-gatekeeper")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "tls.crt"), certPEM, 0o600); err != nil {
		return nil, err
	}
	return certPEM, os.WriteFile(filepath.Join(dir, "tls.key"), keyPEM, 0o600)
}
