package replay

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/selmount/selmount/policies"
)

// SendDebug adds obj's ephemeral containers to the stored Pod as `kubectl debug` does (spec
// Decision 9): a strategic-merge PATCH of the pods/ephemeralcontainers subresource, the only way the
// API server accepts them.
func (c *Clients) SendDebug(ctx context.Context, obj *unstructured.Unstructured) Sent {
	return c.sendDebug(ctx, obj, false)
}

func (c *Clients) sendDebug(ctx context.Context, obj *unstructured.Unstructured, dryRun bool) Sent {
	ecs, _, _ := unstructured.NestedSlice(obj.Object, "spec", "ephemeralContainers")
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"ephemeralContainers": ecs}})
	if err != nil {
		return Sent{Err: err}
	}
	sent := c.sendPatch(ctx, obj, types.StrategicMergePatchType, patch, "ephemeralcontainers", dryRun)
	if sent.Err != nil {
		sent.Err = fmt.Errorf("pods/ephemeralcontainers: %v", sent.Err)
	}
	return sent
}

// SendPatch patches the stored obj (or its subresource). Admission sees a PATCH as an UPDATE.
func (c *Clients) SendPatch(ctx context.Context, obj *unstructured.Unstructured, pt types.PatchType, patch []byte, subresource string) Sent {
	return c.sendPatch(ctx, obj, pt, patch, subresource, false)
}

func (c *Clients) sendPatch(ctx context.Context, obj *unstructured.Unstructured, pt types.PatchType, patch []byte, subresource string, dryRun bool) Sent {
	opts := metav1.PatchOptions{}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	res, gvr, err := c.resourceFor(obj)
	if err != nil {
		return Sent{Err: err}
	}
	var subs []string
	if subresource != "" {
		subs = []string{subresource}
	}
	c.Warnings.Take() // nothing sent before belongs to this request
	wctx, auditID := recordingAuditID(ctx)
	out, err := res.Patch(wctx, obj.GetName(), pt, patch, opts, subs...)
	return Sent{Object: out, Err: err, Warnings: c.Warnings.Take(), Request: request(policies.OperationUpdate, gvr, subresource), AuditID: *auditID}
}
