// Package gatekeeper runs the released Gatekeeper manager outside a cluster against the e2e
// kube-apiserver: its CRDs, namespace and webhook configurations from its release manifest, the
// webhooks reached at loopback URLs with a generated CA, and selmount's gatekeeper/ bundle installed
// and replayed through it.
package gatekeeper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/e2e/bundles"
)

// releaseKinds are what is taken from deploy/gatekeeper.yaml: the manager itself runs as a process
// here (not its Deployment), as its ServiceAccount with the release's roles, and no Service fronts it.
var releaseKinds = map[string]bool{
	"Namespace": true, "CustomResourceDefinition": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"ServiceAccount": true, "ClusterRole": true, "ClusterRoleBinding": true, "Role": true, "RoleBinding": true,
}

// ServiceAccount is the identity the release runs the manager as.
const ServiceAccount = "gatekeeper-admin"

// Release is what ReleaseManifest wrote: the manifest and the CRDs to wait for.
type Release struct {
	Path string
	CRDs []string
}

// ReleaseManifest writes the release's objects of releaseKinds to dir, every webhook's clientConfig
// pointing at https://127.0.0.1:<port> with the path the release's Service reference names, and caPEM
// as its caBundle: the API server then calls the manager on loopback, never through a Service.
func ReleaseManifest(manifest string, port int, caPEM []byte, dir string) (Release, error) {
	data, err := os.ReadFile(manifest)
	if err != nil {
		return Release{}, err
	}
	var docs [][]byte
	var rel Release
	for _, doc := range bundles.SplitYAML(data) {
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return Release{}, fmt.Errorf("%s: %v", manifest, err)
		}
		kind, _ := obj["kind"].(string)
		if !releaseKinds[kind] {
			continue
		}
		name := nameOf(obj)
		switch kind {
		case "CustomResourceDefinition":
			rel.CRDs = append(rel.CRDs, name)
		case "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration":
			if err := toLoopback(obj, port, caPEM); err != nil {
				return Release{}, fmt.Errorf("%s: %s %s: %v", manifest, kind, name, err)
			}
		}
		out, err := json.Marshal(obj)
		if err != nil {
			return Release{}, err
		}
		docs = append(docs, out)
	}
	if len(rel.CRDs) == 0 {
		return Release{}, fmt.Errorf("%s: no CustomResourceDefinition", manifest)
	}
	rel.Path = filepath.Join(dir, "gatekeeper-release.json")
	// A JSON List: kubectl create -f reads it as one stream of objects.
	list := append([]byte(`{"apiVersion":"v1","kind":"List","items":[`), bytes.Join(docs, []byte(","))...)
	return rel, os.WriteFile(rel.Path, append(list, "]}\n"...), 0o600)
}

func nameOf(obj map[string]any) string {
	md, _ := obj["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	return name
}

// toLoopback rewrites each webhook's service reference into a loopback URL with the same path.
func toLoopback(obj map[string]any, port int, caPEM []byte) error {
	hooks, _ := obj["webhooks"].([]any)
	if len(hooks) == 0 {
		return fmt.Errorf("no webhooks")
	}
	for _, h := range hooks {
		hook, _ := h.(map[string]any)
		cc, _ := hook["clientConfig"].(map[string]any)
		svc, _ := cc["service"].(map[string]any)
		path, _ := svc["path"].(string)
		if path == "" {
			return fmt.Errorf("webhook %v: no service path to keep", hook["name"])
		}
		hook["clientConfig"] = map[string]any{
			"url":      fmt.Sprintf("https://127.0.0.1:%d%s", port, path),
			"caBundle": caPEM, // []byte: base64 in JSON, as the API expects
		}
	}
	return nil
}
