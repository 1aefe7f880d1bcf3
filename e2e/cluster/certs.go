package cluster

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
)

// Credentials are the files the API server and its clients share: a self-signed serving certificate
// for 127.0.0.1 (its own CA), a service-account key pair and a static token file with one admin.
type Credentials struct {
	CertFile, KeyFile string // serving certificate (also the clients' CA bundle)
	SAKeyFile         string // RSA private key: signs service-account tokens and verifies them
	TokenFile         string
	Token             string // the admin's bearer token (group system:masters)
	// ScannerToken is user selmount-scanner's, in no group: it may do only what RBAC grants it, so
	// that a test can prove a ClusterRole sufficient.
	ScannerToken string
}

// ScannerUser is the user ScannerToken authenticates as.
const ScannerUser = "selmount-scanner"

// WriteCredentials generates fresh credentials into dir.
func WriteCredentials(dir string) (*Credentials, error) {
	c := &Credentials{
		CertFile:  filepath.Join(dir, "apiserver.crt"),
		KeyFile:   filepath.Join(dir, "apiserver.key"),
		SAKeyFile: filepath.Join(dir, "sa.key"),
		TokenFile: filepath.Join(dir, "tokens.csv"),
	}
	certPEM, keyPEM, err := LoopbackCert("selmount-e2e-apiserver")
	if err != nil {
		return nil, err
	}
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tokenBytes := make([]byte, 24)
	if _, err := rand.Read(tokenBytes); err != nil {
		return nil, err
	}
	c.Token = fmt.Sprintf("%x", tokenBytes)
	if _, err := rand.Read(tokenBytes); err != nil {
		return nil, err
	}
	c.ScannerToken = fmt.Sprintf("%x", tokenBytes)
	files := map[string][]byte{
		c.CertFile:  certPEM,
		c.KeyFile:   keyPEM,
		c.SAKeyFile: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(saKey)}),
		// token,user,uid,"group": the admin is in system:masters, which RBAC always allows.
		c.TokenFile: []byte(c.Token + `,selmount-admin,selmount-admin,"system:masters"` + "\n" +
			c.ScannerToken + "," + ScannerUser + "," + ScannerUser + "\n"),
	}
	for path, data := range files {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, err
		}
	}
	return c, nil
}
