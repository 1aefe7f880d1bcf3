package main

import (
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
