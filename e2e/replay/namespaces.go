package replay

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/policies/cluster"
)

// missingNamespaces are the namespaces objects live in without a Namespace object among them, in
// first-use order ("default" excepted: every server has it). A cluster dump (`kubectl get pods,pvc
// -A -o yaml`) lists none, yet the cluster it came from had them, unlabelled as far as the dump tells.
func missingNamespaces(objects []cluster.Object) []string {
	listed := map[string]bool{"default": true}
	for i := range objects {
		if o := &objects[i]; o.Kind == "Namespace" && o.APIGroup() == "" {
			listed[o.Name] = true
		}
	}
	var out []string
	for i := range objects {
		ns := objects[i].Namespace
		if ns != "" && !listed[ns] {
			listed[ns] = true
			out = append(out, ns)
		}
	}
	return out
}

// createNamespaces creates each named namespace, unlabelled, as the cluster a dump came from had it.
func (c *Clients) createNamespaces(ctx context.Context, names []string) ([]*unstructured.Unstructured, error) {
	var created []*unstructured.Unstructured
	for _, name := range names {
		ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}}
		sent := c.Send(ctx, ns, false)
		if sent.Err != nil {
			return created, fmt.Errorf("namespace %s (used but not listed): %v", name, sent.Err)
		}
		created = append(created, sent.Object)
	}
	return created, nil
}
