package replay

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

// SendDebug adds obj's ephemeral containers to the stored Pod as `kubectl debug` does (spec
// Decision 9): a strategic-merge PATCH of the pods/ephemeralcontainers subresource, the only way the
// API server accepts them.
func (c *Clients) SendDebug(ctx context.Context, obj *unstructured.Unstructured) Sent {
	res, err := c.resourceFor(obj)
	if err != nil {
		return Sent{Err: err}
	}
	ecs, _, _ := unstructured.NestedSlice(obj.Object, "spec", "ephemeralContainers")
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"ephemeralContainers": ecs}})
	if err != nil {
		return Sent{Err: err}
	}
	c.Warnings.Take() // nothing sent before belongs to this request
	out, err := res.Patch(ctx, obj.GetName(), types.StrategicMergePatchType, patch, metav1.PatchOptions{}, "ephemeralcontainers")
	sent := Sent{Object: out, Warnings: c.Warnings.Take()}
	if err != nil {
		sent.Err = fmt.Errorf("pods/ephemeralcontainers: %v", err)
	}
	return sent
}
