package gatekeeper

import (
	"context"
	"fmt"

	mutationsunversioned "github.com/open-policy-agent/gatekeeper/v3/apis/mutations/unversioned"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/mutation"
	"github.com/open-policy-agent/gatekeeper/v3/pkg/mutation/mutators/assign"
	mutationtypes "github.com/open-policy-agent/gatekeeper/v3/pkg/mutation/types"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/selmount/selmount/policies/cluster"
)

func newMutationSystem(assigns []*unstructured.Unstructured) (*mutation.System, error) {
	sys := mutation.NewSystem(mutation.SystemOpts{})
	for _, u := range assigns {
		var a mutationsunversioned.Assign
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &a); err != nil {
			return nil, fmt.Errorf("Assign %s: %w", u.GetName(), err)
		}
		m, err := assign.MutatorForAssign(&a)
		if err != nil {
			return nil, fmt.Errorf("Assign %s: %w", u.GetName(), err)
		}
		if err := sys.Upsert(m); err != nil {
			return nil, fmt.Errorf("Assign %s: %w", u.GetName(), err)
		}
	}
	return sys, nil
}

// mutate runs the mutators on the Pod the API server admits for o on CREATE: o itself, or the Pod a
// workload's controller creates from its template. It returns the Pod's seLinuxChangePolicy after.
func (e *Engine) mutate(ctx context.Context, o *cluster.Object, ns *corev1.Namespace) (string, bool, error) {
	pod, err := podOf(o)
	if err != nil {
		return "", false, err
	}
	before, _, _ := unstructured.NestedString(pod.Object, "spec", "securityContext", "seLinuxChangePolicy")
	if _, err := e.mutations.Mutate(ctx, &mutationtypes.Mutable{
		Object: pod, Namespace: ns, Username: "system:serviceaccount:kube-system:replicaset-controller",
		Source: mutationtypes.SourceTypeOriginal, Operation: admissionv1.Create,
	}); err != nil {
		return "", false, err
	}
	after, _, _ := unstructured.NestedString(pod.Object, "spec", "securityContext", "seLinuxChangePolicy")
	return after, after != before, nil
}

// podOf is the Pod object created for o.
func podOf(o *cluster.Object) (*unstructured.Unstructured, error) {
	m, err := objectMap(o)
	if err != nil {
		return nil, err
	}
	if o.Kind == "Pod" {
		return &unstructured.Unstructured{Object: m}, nil
	}
	path := []string{"spec", "template"}
	if o.Kind == "CronJob" {
		path = []string{"spec", "jobTemplate", "spec", "template"}
	}
	tmpl, _, _ := unstructured.NestedMap(m, path...)
	spec, _, _ := unstructured.NestedMap(tmpl, "spec")
	labels, _, _ := unstructured.NestedMap(tmpl, "metadata", "labels")
	pod := map[string]any{
		"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": o.Name + "-0", "namespace": o.Namespace},
		"spec":     spec,
	}
	if labels != nil {
		pod["metadata"].(map[string]any)["labels"] = labels
	}
	return &unstructured.Unstructured{Object: pod}, nil
}
