package gatekeeper

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	constraintclient "github.com/open-policy-agent/frameworks/constraint/pkg/client"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/selmount/selmount/policies/cluster"
)

// inventory keeps data.inventory equal to a replayed state, changing only what differs between
// two calls (a replay adds one object at a time).
type inventory struct {
	client  *constraintclient.Client
	synced  map[schema.GroupVersionKind]bool
	objects map[string]*unstructured.Unstructured
	texts   map[string]string
}

func newInventory(c *constraintclient.Client, synced map[schema.GroupVersionKind]bool) *inventory {
	return &inventory{client: c, synced: synced, objects: map[string]*unstructured.Unstructured{}, texts: map[string]string{}}
}

// epoch dates the replayed objects: object i was created i seconds after it, as the API server
// stamps them in admission order (the Rego orders Pods by creationTimestamp).
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// set makes the inventory hold exactly the objects of the kinds the sync Config replicates.
func (inv *inventory) set(ctx context.Context, objects []cluster.Object) error {
	want := map[string]*unstructured.Unstructured{}
	for i := range objects {
		o := &objects[i]
		gvk := schema.FromAPIVersionAndKind(o.APIVersion, o.Kind)
		if !inv.synced[gvk] {
			continue
		}
		m, err := objectMap(o)
		if err != nil {
			return err
		}
		u := &unstructured.Unstructured{Object: m}
		u.SetCreationTimestamp(metaTime(epoch.Add(time.Duration(i) * time.Second)))
		want[strings.Join([]string{gvk.String(), o.Namespace, o.Name}, "/")] = u
	}
	for key, u := range inv.objects {
		if _, ok := want[key]; ok {
			continue
		}
		if _, err := inv.client.RemoveData(ctx, u); err != nil {
			return fmt.Errorf("inventory: remove %s: %w", key, err)
		}
		delete(inv.objects, key)
		delete(inv.texts, key)
	}
	for key, u := range want {
		text, err := json.Marshal(u.Object)
		if err != nil {
			return err
		}
		if inv.texts[key] == string(text) {
			continue
		}
		if _, err := inv.client.AddData(ctx, u); err != nil {
			return fmt.Errorf("inventory: add %s: %w", key, err)
		}
		inv.objects[key], inv.texts[key] = u, string(text)
	}
	return nil
}
