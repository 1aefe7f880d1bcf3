package replay

import (
	"testing"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

func TestStoresChangePolicyFollowsTheGate(t *testing.T) {
	off, err := gates.Parse("v1.35,SELinuxChangePolicy=false")
	if err != nil {
		t.Fatal(err)
	}
	on, _ := gates.Parse("v1.35")
	withPolicy := podObject(t, `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"n"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"},"containers":[{"name":"c"}]}}`)
	without := podObject(t, `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"n"},"spec":{"containers":[{"name":"c"}]}}`)
	for _, tc := range []struct {
		name string
		req  harness.Admission
		want bool
	}{
		{"gate on", harness.Admission{Scenario: &harness.Scenario{Profile: on}}, true},
		{"gate off, create", harness.Admission{Scenario: &harness.Scenario{Profile: off}}, false},
		{"gate off, update of a Pod stored without", harness.Admission{Scenario: &harness.Scenario{Profile: off}, OldObject: without}, false},
		{"gate off, update of a Pod stored with one", harness.Admission{Scenario: &harness.Scenario{Profile: off}, OldObject: withPolicy}, true},
		{"no scenario", harness.Admission{}, true},
	} {
		if got := storesChangePolicy(tc.req); got != tc.want {
			t.Errorf("%s: stores %v, want %v", tc.name, got, tc.want)
		}
	}
}

func podObject(t *testing.T, doc string) *cluster.Object {
	t.Helper()
	objs, err := cluster.Decode("pod.json", []byte(doc))
	if err != nil || len(objs) != 1 {
		t.Fatalf("decode: %v (%d objects)", err, len(objs))
	}
	return &objs[0]
}
