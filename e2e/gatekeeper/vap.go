package gatekeeper

import (
	"fmt"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// VAPName is the ValidatingAdmissionPolicy Gatekeeper generates from a CEL template.
func VAPName(template string) string { return "gatekeeper-" + template }

// ControlTemplate reads the ConstraintTemplate at path and returns it renamed to name (kind
// Selmount<suffix>) with generateVAP removed from every source: Gatekeeper 3.23's default then
// applies, which generates a ValidatingAdmissionPolicy. It is the control that shows the absence of
// the bundle's own policies is the templates' doing, not a server or flag that never generates any.
func ControlTemplate(path, suffix string) (*unstructured.Unstructured, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &u.Object); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	kind := "Selmount" + suffix
	u.SetName(strings.ToLower(kind))
	u.SetResourceVersion("")
	if err := unstructured.SetNestedField(u.Object, kind, "spec", "crd", "spec", "names", "kind"); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	targets, _, _ := unstructured.NestedSlice(u.Object, "spec", "targets")
	removed := 0
	for _, t := range targets {
		code, _ := t.(map[string]any)["code"].([]any)
		for _, c := range code {
			src, _ := c.(map[string]any)["source"].(map[string]any)
			if _, ok := src["generateVAP"]; ok {
				delete(src, "generateVAP")
				removed++
			}
		}
	}
	if removed == 0 {
		return nil, fmt.Errorf("%s: ConstraintTemplate %s: no source says generateVAP", path, u.GetName())
	}
	return u, unstructured.SetNestedSlice(u.Object, targets, "spec", "targets")
}
