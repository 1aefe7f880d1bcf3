package cluster

import "testing"

func TestSameObjectIsGroupKindNamespaceName(t *testing.T) {
	objs, err := Decode("x.yaml", []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
---
apiVersion: apps/v1beta2
kind: Deployment
metadata: {name: web, namespace: shop}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: web, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
`))
	if err != nil {
		t.Fatal(err)
	}
	if !objs[0].SameObject(&objs[1]) {
		t.Error("two versions of one group are one object")
	}
	for _, i := range []int{2, 3} {
		if objs[0].SameObject(&objs[i]) {
			t.Errorf("%s and %s are different objects", objs[0].Identity(), objs[i].Identity())
		}
	}
}
