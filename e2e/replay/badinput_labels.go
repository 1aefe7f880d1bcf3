package replay

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/selmount/selmount/harness"
)

const relabelledNamespace = "selmount-e2e-relabelled"

// optOutTimeout bounds the wait for a namespace's new opt-out label to reach admission, which reads
// namespaces from an informer.
const optOutTimeout = 30 * time.Second

// labelUpdateOptedOut creates a Pod without a policy in an unlabelled namespace, opts the namespace
// out, then changes only the Pod's labels with the merge PATCH `kubectl label` sends. Compared with
// the model's UPDATE of the same Pod: accepted, not mutated (the opt-out acts on CREATE only, and
// the policy is immutable after it), SELINUX-004 warned and audited.
func labelUpdateOptedOut(ctx context.Context, c *Clients, version, bundle string, denies bool) (rows []BadInput, err error) {
	const name = "label-update-opted-out-namespace"
	sc, err := scenarioOf(name, "v"+version, labelUpdateDocs())
	if err != nil {
		return nil, err
	}
	model, err := harness.Run(ctx, harness.ModelEngine{}, sc)
	if err != nil {
		return nil, err
	}
	if len(model.Admits) != 2 {
		return nil, fmt.Errorf("%s: the model admitted %d Pods, want the CREATE and the UPDATE", name, len(model.Admits))
	}
	var created []*unstructured.Unstructured
	defer func() {
		if cerr := c.Cleanup(context.WithoutCancel(ctx), created); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, step := range []struct {
		obj    *unstructured.Unstructured
		update bool
	}{
		{namespaceObject(relabelledNamespace, nil), false},
		{onePod(relabelledNamespace, "app", nil), false},
		{namespaceObject(relabelledNamespace, map[string]any{"selmount.io/change-policy": "Recursive"}), true},
	} {
		s := c.Send(ctx, step.obj, step.update)
		if s.Err != nil {
			return nil, fmt.Errorf("%s: %s %s: %v", name, step.obj.GetKind(), step.obj.GetName(), s.Err)
		}
		if !step.update {
			created = append(created, s.Object)
		}
	}
	if err := c.waitOptOut(ctx, relabelledNamespace); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	sent := c.SendPatch(ctx, onePod(relabelledNamespace, "app", nil), types.MergePatchType, []byte(`{"metadata":{"labels":{"release":"2"}}}`), "")
	a := model.Admits[1]
	r := compare(a, "Pod "+a.Pod+" (merge PATCH of metadata.labels, as kubectl label sends it)", sent, denies)
	if err := c.compareAudit(ctx, &r, sent, a.Model.Findings); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	req := "CREATE of a Pod without a policy in an unlabelled namespace, the namespace then labelled `selmount.io/change-policy=Recursive`, then a merge PATCH of the Pod's labels only (`kubectl label`)"
	return []BadInput{fromPod(name, version, bundle, req, r)}, nil
}

// waitOptOut returns once a dry-run Pod in namespace comes back with the opt-out's policy: admission
// has seen the namespace's label. It fails after optOutTimeout.
func (c *Clients) waitOptOut(ctx context.Context, namespace string) error {
	deadline := time.Now().Add(optOutTimeout)
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "opt-out-probe", Namespace: namespace},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "probe", Image: "registry.example/probe:1"}}}}
	for {
		out, err := c.Typed.CoreV1().Pods(namespace).Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		c.Warnings.Take()
		if err == nil && out.Spec.SecurityContext != nil && out.Spec.SecurityContext.SELinuxChangePolicy != nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the opt-out label of %s not effective after %s (last error: %v)", namespace, optOutTimeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// labelUpdateDocs are the case as a scenario, for the model: the second Pod differs in labels only.
func labelUpdateDocs() string {
	return fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
---
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: %[1]s
spec:
  containers:
  - name: app
    image: registry.example/app:1.0
---
apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
  labels:
    selmount.io/change-policy: Recursive
---
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: %[1]s
  labels:
    release: "2"
spec:
  containers:
  - name: app
    image: registry.example/app:1.0
`, relabelledNamespace)
}
