package gatekeeper

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// celTemplates are the bundle's templates with a K8sNativeValidation source.
var celTemplates = []string{"selmountmultiplelabels", "selmountchangepolicymisuse"}

func TestControlTemplateDropsGenerateVAP(t *testing.T) {
	u, err := ControlTemplate(filepath.Join("..", "..", "gatekeeper", "base", "templates", "selmountmultiplelabels.yaml"), "VapControl")
	if err != nil {
		t.Fatal(err)
	}
	if u.GetName() != "selmountvapcontrol" {
		t.Errorf("name %s", u.GetName())
	}
	if data, _ := u.MarshalJSON(); strings.Contains(string(data), "generateVAP") {
		t.Error("generateVAP left in the control template")
	}
}

// TestNoGeneratedVAP checks the decision of gatekeeper/README.md ("No generated
// ValidatingAdmissionPolicies"): with the manager's 3.23 defaults, the bundle's CEL templates make no
// ValidatingAdmissionPolicy and its constraints no binding, while a copy of one template without
// generateVAP does make one (the control).
func TestNoGeneratedVAP(t *testing.T) {
	e := startGatekeeper(t, serverVersion, quietAudit)
	e.install(t, "gatekeeper/README.md")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	control, err := ControlTemplate(filepath.Join(e.root, "gatekeeper", "base", "templates", "selmountmultiplelabels.yaml"), "VapControl")
	if err != nil {
		t.Fatal(err)
	}
	templates := e.clients.Dynamic.Resource(schema.GroupVersionResource{Group: "templates.gatekeeper.sh", Version: "v1", Resource: "constrainttemplates"})
	if _, err := templates.Create(ctx, control, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	vaps := e.clients.Typed.AdmissionregistrationV1().ValidatingAdmissionPolicies()
	for {
		_, err := vaps.Get(ctx, VAPName(control.GetName()), metav1.GetOptions{})
		if err == nil {
			break
		}
		if !apierrors.IsNotFound(err) || ctx.Err() != nil {
			t.Fatalf("the control template's ValidatingAdmissionPolicy %s never appeared: %v", VAPName(control.GetName()), err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, name := range celTemplates {
		if _, err := vaps.Get(ctx, VAPName(name), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("ValidatingAdmissionPolicy %s: %v, want NotFound (the template says generateVAP: false)", VAPName(name), err)
		}
	}
	bindings, err := e.clients.Typed.AdmissionregistrationV1().ValidatingAdmissionPolicyBindings().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bindings.Items {
		if strings.HasPrefix(b.Spec.PolicyName, "gatekeeper-selmount") && b.Spec.PolicyName != VAPName(control.GetName()) {
			t.Errorf("binding %s of a bundle policy %s", b.Name, b.Spec.PolicyName)
		}
	}
}
