package replay

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const immutableNamespace = "selmount-e2e-immutable"

// immutable is the API server's refusal of a Pod UPDATE that changes anything but the few mutable
// spec fields (k8s.io/kubernetes pkg/apis/core/validation ValidatePodUpdate).
const immutable = "pod updates may not change fields other than"

// changePolicyUpdates creates a Pod in an opted-out namespace (the opt-out sets Recursive), then
// sends two UPDATEs of its seLinuxChangePolicy: one to MountOption, one without the field (as
// `kubectl replace` of the Pod's own manifest sends it). The model does not follow the API server's
// immutability validation, so the expectation is stated: both are refused by that validation, which
// runs before validating admission (no audit annotation), and the stored policy stays Recursive. The
// second also shows that the opt-out never acts on UPDATE: re-setting Recursive would let it through.
func changePolicyUpdates(ctx context.Context, c *Clients, version, bundle string, _ bool) (rows []BadInput, err error) {
	var created []*unstructured.Unstructured
	defer func() {
		if cerr := c.Cleanup(context.WithoutCancel(ctx), created); cerr != nil && err == nil {
			err = cerr
		}
	}()
	ns := namespaceObject(immutableNamespace, map[string]any{"selmount.io/change-policy": "Recursive"})
	s := c.Send(ctx, ns, false)
	if s.Err != nil {
		return nil, s.Err
	}
	created = append(created, s.Object)
	s = c.Send(ctx, onePod(immutableNamespace, "app", nil), false)
	if s.Err != nil {
		return nil, fmt.Errorf("Pod in %s: %v", immutableNamespace, s.Err)
	}
	created = append(created, s.Object)
	stored := s.Object
	var precondition []string
	if cp, _, _ := unstructured.NestedString(stored.Object, "spec", "securityContext", "seLinuxChangePolicy"); cp != "Recursive" {
		precondition = append(precondition, fmt.Sprintf("the opt-out did not set Recursive on CREATE (stored %q): the case tests nothing", cp))
	}
	for _, u := range []struct {
		name, req string
		edit      func(obj map[string]any)
	}{
		{"change-policy-update-to-mountoption", "UPDATE of that Pod with `seLinuxChangePolicy: MountOption`",
			func(obj map[string]any) {
				_ = unstructured.SetNestedField(obj, "MountOption", "spec", "securityContext", "seLinuxChangePolicy")
			}},
		{"change-policy-update-unset", "UPDATE of that Pod without `seLinuxChangePolicy` (its manifest, as `kubectl replace` sends it)",
			func(obj map[string]any) {
				unstructured.RemoveNestedField(obj, "spec", "securityContext", "seLinuxChangePolicy")
			}},
	} {
		obj := stored.DeepCopy()
		u.edit(obj.Object)
		sent := c.Send(ctx, obj, true)
		got, err := c.audited(ctx, sent.AuditID)
		if err != nil {
			return rows, fmt.Errorf("%s: %v", u.name, err)
		}
		after, err := c.storedChangePolicy(ctx, stored)
		if err != nil {
			return rows, err
		}
		row := BadInput{Name: u.name, Version: version, Bundle: bundle,
			Request:  "in a namespace opted out with Recursive, CREATE of a Pod without a policy (stored with Recursive), then " + u.req,
			Expected: fmt.Sprintf("stated: refused by API validation (%q …) before validating admission, so audit: evaluated by [], validation_failure []; stored policy stays \"Recursive\"", immutable),
			Server: fmt.Sprintf("%s; audit: evaluated by %v, validation_failure %v; stored %q",
				refusalSummary(sent.Err), got.Evaluated, got.Rules, after),
			Differences: append([]string{}, precondition...)}
		switch {
		case sent.Err == nil:
			row.Differences = append(row.Differences, "accepted: the UPDATE changed seLinuxChangePolicy")
		case !strings.Contains(sent.Err.Error(), immutable):
			row.Differences = append(row.Differences, "refused for another reason: "+sent.Err.Error())
		}
		row.Differences = append(row.Differences, AuditDifferences(got, Audited{Evaluated: []string{}, Rules: []string{}})...)
		if after != "Recursive" {
			row.Differences = append(row.Differences, fmt.Sprintf("stored seLinuxChangePolicy %q after the UPDATE, want \"Recursive\"", after))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// refusalSummary is a refusal's first line, with the immutability message (which appends a diff of
// the whole spec) cut after its sentence.
func refusalSummary(err error) string {
	if err == nil {
		return "accepted"
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	if i := strings.Index(msg, immutable); i >= 0 {
		msg = msg[:i+len(immutable)] + " …"
	}
	return "refused: " + msg
}

// namespaceObject is a Namespace with labels (nil: none).
func namespaceObject(name string, labels map[string]any) *unstructured.Unstructured {
	md := map[string]any{"name": name}
	if labels != nil {
		md["labels"] = labels
	}
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": md}}
}

// onePod is a Pod with one container and no SELinux settings.
func onePod(namespace, name string, labels map[string]any) *unstructured.Unstructured {
	md := map[string]any{"name": name, "namespace": namespace}
	if labels != nil {
		md["labels"] = labels
	}
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": md,
		"spec": map[string]any{"containers": []any{map[string]any{"name": "app", "image": "registry.example/app:1.0"}}}}}
}
