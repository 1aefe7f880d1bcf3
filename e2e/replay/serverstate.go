package replay

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// modelKinds are what the model reads of a cluster besides workloads, as `kubectl get … -A -o json`
// of them would give `selmount scan`: the objects a controller's audit sees.
var modelKinds = []schema.GroupVersionResource{
	{Version: "v1", Resource: "namespaces"},
	{Version: "v1", Resource: "persistentvolumes"},
	{Version: "v1", Resource: "persistentvolumeclaims"},
	{Group: "storage.k8s.io", Version: "v1", Resource: "storageclasses"},
	{Group: "storage.k8s.io", Version: "v1", Resource: "csidrivers"},
	{Version: "v1", Resource: "pods"},
}

// workloadKinds are the workloads the model reads too; a controller that audits Pods only (Kyverno's
// selmount policies) never reads them.
var workloadKinds = []schema.GroupVersionResource{
	{Version: "v1", Resource: "replicationcontrollers"},
	{Group: "apps", Version: "v1", Resource: "deployments"},
	{Group: "apps", Version: "v1", Resource: "statefulsets"},
	{Group: "apps", Version: "v1", Resource: "daemonsets"},
	{Group: "apps", Version: "v1", Resource: "replicasets"},
	{Group: "batch", Version: "v1", Resource: "jobs"},
	{Group: "batch", Version: "v1", Resource: "cronjobs"},
}

// ServerObjects lists what the model reads from the server, as one dump; without workloads when
// podsOnly.
func (c *Clients) ServerObjects(ctx context.Context, podsOnly bool) ([]cluster.Object, error) {
	kinds := modelKinds
	if !podsOnly {
		kinds = append(kinds[:len(kinds):len(kinds)], workloadKinds...)
	}
	var items []any
	for _, gvr := range kinds {
		l, err := c.Dynamic.Resource(gvr).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("list %s: %v", gvr.Resource, err)
		}
		for i := range l.Items {
			items = append(items, l.Items[i].Object)
		}
	}
	data, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
	if err != nil {
		return nil, err
	}
	return cluster.Decode("server", data)
}

// ModelAuditOfServer is the model's audit of what the server holds now: what `selmount scan` of a
// dump of it reports, and what a controller's audit of the same objects must report.
func (c *Clients) ModelAuditOfServer(ctx context.Context, profile gates.Profile, scope policies.OptOutScope, podsOnly bool) (policies.Report, error) {
	objs, err := c.ServerObjects(ctx, podsOnly)
	if err != nil {
		return policies.Report{}, err
	}
	state, err := cluster.Build(objs)
	if err != nil {
		return policies.Report{}, fmt.Errorf("the server's objects: %v", err)
	}
	return policies.AuditScoped(profile, scope, state), nil
}
