package cluster

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"
)

func TestWriteCredentials(t *testing.T) {
	c, err := WriteCredentials(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(c.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block in the certificate file")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	// Clients verify the server against this certificate for the address they dial.
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("certificate does not verify for 127.0.0.1: %v", err)
	}
	tokens, err := os.ReadFile(c.TokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(tokens), c.Token+",") || !strings.Contains(string(tokens), `"system:masters"`) {
		t.Errorf("token file %q does not make the token an admin", tokens)
	}
	other, err := WriteCredentials(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if other.Token == c.Token {
		t.Error("two calls produced the same token")
	}
}
