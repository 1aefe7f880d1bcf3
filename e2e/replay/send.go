package replay

import (
	"context"
	"encoding/json"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// Sent is what the server answered to one create or update.
type Sent struct {
	Object   *unstructured.Unstructured // as stored, after admission; nil when refused
	Warnings []string
	Err      error // the refusal
	// Request is what admission saw of the write, and AuditID the server's ID for it ("" when it
	// was never sent): together they find and explain its audit event.
	Request Request
	AuditID string
}

// resourceFor finds where the server serves obj's kind.
func (c *Clients) resourceFor(obj *unstructured.Unstructured) (dynamic.ResourceInterface, schema.GroupVersionResource, error) {
	gvk := obj.GroupVersionKind()
	m, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		c.Mapper.Reset() // a kind installed after the first lookup (a CRD) needs fresh discovery
		if m, err = c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			return nil, schema.GroupVersionResource{}, err
		}
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		if obj.GetNamespace() == "" {
			obj.SetNamespace("default") // as kubectl does with a manifest that names none
		}
		return c.Dynamic.Resource(m.Resource).Namespace(obj.GetNamespace()), m.Resource, nil
	}
	return c.Dynamic.Resource(m.Resource), m.Resource, nil
}

// request names a write to gvr for admission's matching.
func request(op string, gvr schema.GroupVersionResource, subresource string) Request {
	return Request{Operation: op, Group: gvr.Group, Version: gvr.Version, Resource: gvr.Resource, Subresource: subresource}
}

// Unstructured decodes a scenario object. The status of a Pod is kept aside: the API server drops it
// on create, and the replay writes it afterwards through the status subresource, as a kubelet would.
func Unstructured(o *cluster.Object) (*unstructured.Unstructured, error) {
	u := &unstructured.Unstructured{}
	if err := json.Unmarshal(o.Raw, &u.Object); err != nil {
		return nil, fmt.Errorf("%s: %v", o.ID(), err)
	}
	return u, nil
}

// Send creates obj, or updates it when update is true (the same object came earlier in the scenario).
func (c *Clients) Send(ctx context.Context, obj *unstructured.Unstructured, update bool) Sent {
	return c.send(ctx, obj, update, false)
}

// send is Send, or with dryRun a server-side dry run of it (admitted, stored nowhere).
func (c *Clients) send(ctx context.Context, obj *unstructured.Unstructured, update, dryRun bool) Sent {
	var dry []string
	if dryRun {
		dry = []string{metav1.DryRunAll}
	}
	res, gvr, err := c.resourceFor(obj)
	if err != nil {
		return Sent{Err: err}
	}
	c.Warnings.Take() // nothing sent before belongs to this request
	var out *unstructured.Unstructured
	wctx, auditID := recordingAuditID(ctx)
	op := policies.OperationCreate
	if update {
		op = policies.OperationUpdate
		cur, gerr := res.Get(ctx, obj.GetName(), metav1.GetOptions{})
		if gerr != nil {
			return Sent{Err: gerr, Warnings: c.Warnings.Take()}
		}
		obj = obj.DeepCopy()
		obj.SetResourceVersion(cur.GetResourceVersion())
		out, err = res.Update(wctx, obj, metav1.UpdateOptions{DryRun: dry})
	} else {
		out, err = res.Create(wctx, obj, metav1.CreateOptions{DryRun: dry})
	}
	sent := Sent{Object: out, Err: err, Warnings: c.Warnings.Take(), Request: request(op, gvr, ""), AuditID: *auditID}
	if err == nil && !dryRun {
		if status, ok := obj.Object["status"]; ok && obj.GetKind() == "Pod" {
			sent.Err = c.writeStatus(ctx, res, out, status)
		}
	}
	return sent
}

// writeStatus records a Pod's phase as its kubelet would have, so that terminal Pods are terminal.
func (c *Clients) writeStatus(ctx context.Context, res dynamic.ResourceInterface, stored *unstructured.Unstructured, status any) error {
	withStatus := stored.DeepCopy()
	withStatus.Object["status"] = status
	if _, err := res.UpdateStatus(ctx, withStatus, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("status of %s: %v", stored.GetName(), err)
	}
	c.Warnings.Take()
	return nil
}

// Delete removes obj at once (no grace period: no kubelet confirms Pod deletion).
func (c *Clients) Delete(ctx context.Context, obj *unstructured.Unstructured) error {
	res, _, err := c.resourceFor(obj)
	if err != nil {
		return err
	}
	zero, background := int64(0), metav1.DeletePropagationBackground
	// Background: a Job's default (orphan) adds a finalizer only the garbage collector removes.
	err = res.Delete(ctx, obj.GetName(), metav1.DeleteOptions{GracePeriodSeconds: &zero, PropagationPolicy: &background})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// IsKind reports whether obj is of group/kind.
func IsKind(obj *unstructured.Unstructured, gk schema.GroupKind) bool {
	return obj.GroupVersionKind().GroupKind() == gk
}
