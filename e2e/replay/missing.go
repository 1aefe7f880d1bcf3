package replay

import (
	"context"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/policies/cluster"
)

// CreateMissingNamespaces creates, unlabelled, the namespaces objects live in without a Namespace
// object among them, as Scenario does, for replays of other engines' bundles.
func (c *Clients) CreateMissingNamespaces(ctx context.Context, objects []cluster.Object) ([]*unstructured.Unstructured, error) {
	return c.createNamespaces(ctx, missingNamespaces(objects))
}
