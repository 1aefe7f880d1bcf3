package replay

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// goneTimeout bounds the wait for a deleted namespace to disappear.
const goneTimeout = 30 * time.Second

var namespaceKind = schema.GroupKind{Kind: "Namespace"}

// Cleanup deletes what a scenario created, last first, so that the next scenario can reuse the names.
// No namespace controller runs, so each namespace's finalizer is removed here once its objects are gone.
func (c *Clients) Cleanup(ctx context.Context, created []*unstructured.Unstructured) error {
	var namespaces []string
	for i := len(created) - 1; i >= 0; i-- {
		obj := created[i]
		if IsKind(obj, namespaceKind) {
			namespaces = append(namespaces, obj.GetName())
			continue
		}
		if err := c.Delete(ctx, obj); err != nil {
			return fmt.Errorf("delete %s %s: %v", obj.GetKind(), obj.GetName(), err)
		}
	}
	for _, name := range namespaces {
		if err := c.removeNamespace(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (c *Clients) removeNamespace(ctx context.Context, name string) error {
	nss := c.Typed.CoreV1().Namespaces()
	if err := nss.Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %v", name, err)
	}
	deadline := time.Now().Add(goneTimeout)
	for {
		ns, err := nss.Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("namespace %s: %v", name, err)
		}
		if len(ns.Spec.Finalizers) > 0 {
			ns.Spec.Finalizers = []corev1.FinalizerName{}
			if _, err := nss.Finalize(ctx, ns, metav1.UpdateOptions{}); err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
				return fmt.Errorf("finalize namespace %s: %v", name, err)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s still present after %s", name, goneTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
