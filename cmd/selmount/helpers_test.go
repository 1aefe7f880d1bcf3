package main

import (
	"encoding/base64"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// writeTree creates files (path → content) under a fresh temporary folder and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Small manifests the tests combine. Two pods with different levels on one claim conflict.
const (
	nsYAML = `apiVersion: v1
kind: Namespace
metadata:
  name: team
`
	claimYAML = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: team
spec:
  accessModes: [ReadWriteMany]
`
	podAYAML = `apiVersion: v1
kind: Pod
metadata:
  name: a
  namespace: team
spec:
  securityContext:
    seLinuxOptions: {level: "s0:c1,c2"}
  containers:
  - name: c
    image: busybox
    volumeMounts: [{name: d, mountPath: /d}]
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: data}
`
	podBYAML = `apiVersion: v1
kind: Pod
metadata:
  name: b
  namespace: team
spec:
  securityContext:
    seLinuxOptions: {level: "s0:c3,c4"}
  containers:
  - name: c
    image: busybox
    volumeMounts: [{name: d, mountPath: /d}]
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: data}
`
)

// kubeconfigFor writes a kubeconfig whose context "prod" reaches srv with token, trusting srv's
// certificate (client-go sends credentials only over TLS).
func kubeconfigFor(t *testing.T, srv *httptest.Server, token string) string {
	t.Helper()
	ca := base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "`+srv.URL+`", certificate-authority-data: `+ca+`}}]
users: [{name: u, user: {token: `+token+`}}]
contexts: [{name: prod, context: {cluster: c, user: u}}]
current-context: prod
`), 0o600); err != nil {
		t.Fatal(err)
	}
	return kc
}
