package replay

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

// Debugged is a Pod CREATE whose manifest already has ephemeral containers, sent as a real cluster
// sees it (spec Decision 9): the Pod without them, then `kubectl debug`'s strategic-merge PATCH of
// the pods/ephemeralcontainers subresource.
type Debugged struct {
	// CreateRefusal is what the server says to the manifest as written (a dry-run CREATE).
	CreateRefusal string
	Sent          Sent // the Pod after the subresource PATCH, with the warnings of both requests
}

// HasEphemeralContainers reports whether a Pod manifest lists ephemeral containers.
func HasEphemeralContainers(obj *unstructured.Unstructured) bool {
	ecs, _, _ := unstructured.NestedSlice(obj.Object, "spec", "ephemeralContainers")
	return obj.GetKind() == "Pod" && len(ecs) > 0
}

// SendDebugged creates obj without its ephemeral containers and adds them as kubectl debug does.
func (c *Clients) SendDebugged(ctx context.Context, obj *unstructured.Unstructured) (Debugged, error) {
	var d Debugged
	res, err := c.resourceFor(obj)
	if err != nil {
		return d, err
	}
	c.Warnings.Take()
	if _, err := res.Create(ctx, obj, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}); err != nil {
		d.CreateRefusal = err.Error()
	}
	c.Warnings.Take()
	ecs, _, _ := unstructured.NestedSlice(obj.Object, "spec", "ephemeralContainers")
	bare := obj.DeepCopy()
	unstructured.RemoveNestedField(bare.Object, "spec", "ephemeralContainers")
	created := c.Send(ctx, bare, false)
	if created.Err != nil {
		d.Sent = created
		return d, nil
	}
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"ephemeralContainers": ecs}})
	if err != nil {
		return d, err
	}
	out, perr := res.Patch(ctx, obj.GetName(), types.StrategicMergePatchType, patch, metav1.PatchOptions{}, "ephemeralcontainers")
	d.Sent = Sent{Object: created.Object, Warnings: append(created.Warnings, c.Warnings.Take()...)}
	if perr != nil {
		d.Sent.Err = fmt.Errorf("pods/ephemeralcontainers: %v", perr)
	} else {
		d.Sent.Object = out
	}
	return d, nil
}
