package cluster

import (
	"fmt"
	"strings"
	"testing"
)

func TestSameObjectIsGroupKindNamespaceName(t *testing.T) {
	var docs []string
	for _, d := range [][2]string{{"apps/v1", "shop"}, {"apps/v1beta2", "shop"}, {"example.com/v1", "shop"}, {"apps/v1", "other"}} {
		docs = append(docs, fmt.Sprintf("apiVersion: %s\nkind: Deployment\nmetadata: {name: web, namespace: %s}\n", d[0], d[1]))
	}
	objs, err := Decode("x.yaml", []byte(strings.Join(docs, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 4 {
		t.Fatalf("decoded %d objects, want 4", len(objs))
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
