package gatekeeper

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleRelease = `apiVersion: v1
kind: Namespace
metadata:
  name: gatekeeper-system
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gatekeeper-audit
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: configs.config.gatekeeper.sh
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: v
webhooks:
- name: validation.gatekeeper.sh
  clientConfig:
    service: {name: gatekeeper-webhook-service, namespace: gatekeeper-system, path: /v1/admit}
`

func TestReleaseManifestPointsWebhooksAtLoopback(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "gatekeeper.yaml")
	if err := os.WriteFile(in, []byte(sampleRelease), 0o600); err != nil {
		t.Fatal(err)
	}
	rel, err := ReleaseManifest(in, 8443, []byte("CA"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.CRDs) != 1 || rel.CRDs[0] != "configs.config.gatekeeper.sh" {
		t.Errorf("CRDs = %v", rel.CRDs)
	}
	data, err := os.ReadFile(rel.Path)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 3 {
		t.Fatalf("kept %d objects, want Namespace, CRD and webhook configuration (no Deployment)", len(list.Items))
	}
	if strings.Contains(string(data), "service") {
		t.Errorf("a service reference is left: %s", data)
	}
	if !strings.Contains(string(data), `"url":"https://127.0.0.1:8443/v1/admit"`) || !strings.Contains(string(data), `"caBundle":"Q0E="`) {
		t.Errorf("webhook not on loopback with the CA: %s", data)
	}
}

func TestReleaseManifestRefusesAWebhookWithoutPath(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "gatekeeper.yaml")
	bad := strings.Replace(sampleRelease, ", path: /v1/admit", "", 1)
	if err := os.WriteFile(in, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReleaseManifest(in, 8443, []byte("CA"), dir)
	if err == nil || !strings.Contains(err.Error(), "ValidatingWebhookConfiguration v") {
		t.Errorf("err = %v, want one naming the file and the object", err)
	}
}
