package replay

import (
	"reflect"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
)

func TestMissingNamespacesAreThoseUsedButNotListed(t *testing.T) {
	objs, err := cluster.Decode("dump.yaml", []byte(`apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: shop}}
- {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: shop}, spec: {containers: [{name: c, image: i}]}}
- {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: git}, spec: {containers: [{name: c, image: i}]}}
- {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: d, namespace: git}, spec: {}}
- {apiVersion: v1, kind: Pod, metadata: {name: c, namespace: default}, spec: {containers: [{name: c, image: i}]}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := missingNamespaces(objs); !reflect.DeepEqual(got, []string{"git"}) {
		t.Errorf("missing namespaces %q, want [git]", got)
	}
}
