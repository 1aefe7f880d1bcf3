package cluster_test

import (
	"strings"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
)

// The API server matches a key to a field case for case: "Spec" or "SecurityContext" is an unknown
// field, dropped (or refused by kubectl's strict validation), never the spec. The model must read
// the Pod the cluster would hold, and so must both decoders. encoding/json folds case, so a Pod whose
// misspelt keys carried a label the cluster never sees was once audited and mutated on it.
func TestKeysMatchCaseForCase(t *testing.T) {
	const opts = `{"seLinuxOptions": {"level": "s0:c1,c2"}, "seLinuxChangePolicy": "Recursive"}`
	pods := []string{
		`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "n"}, "spec": {"containers": [{"name": "c"}]}, "Spec": {"securityContext": ` + opts + `}}`,
		`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "n"}, "spec": {"containers": [{"name": "c"}], "SecurityContext": ` + opts + `}}`,
		`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "n"}, "spec": {"containers": [{"name": "c", "SecurityContext": ` + opts + `}]}}`,
	}
	for i, pod := range pods {
		for _, in := range []struct{ name, data string }{
			{"pod.json", pod},
			{"list.json", `{"apiVersion": "v1", "kind": "List", "items": [` + pod + `]}`},
			{"pod.yaml", pod}, // YAML is a superset of JSON
		} {
			objs, err := cluster.Decode(in.name, []byte(in.data))
			if err != nil || len(objs) != 1 {
				t.Fatalf("pod %d %s: %d objects, %v", i, in.name, len(objs), err)
			}
			p := cluster.PodFromObject(&objs[0])
			if m := p.Model; m.SELinux != nil || m.ChangePolicy != nil || len(m.Containers) != 1 || m.Containers[0].Options != nil {
				t.Errorf("pod %d %s: Decode read a misspelt key: %+v", i, in.name, m)
			}
			cluster.RequireSameDecode(t, in.name, []byte(in.data))
		}
		if _, fast := cluster.DecodeFast("list.json", []byte(`{"kind": "List", "items": [`+pod+`]}`)); !fast {
			t.Errorf("pod %d: the fast path gave up on an unknown key", i)
		}
	}
}

// A header key in another case is no header: the object has no kind, or no name.
func TestHeaderKeysMatchCaseForCase(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{`{"Kind": "Pod", "metadata": {"name": "a"}}`, "has no kind"},
		{`{"kind": "Pod", "METADATA": {"name": "a"}}`, "has no metadata.name"},
		{`{"kind": "Pod", "metadata": {"Name": "a"}}`, "has no metadata.name"},
		{`{"kind": "List", "Items": [{"kind": "Pod", "metadata": {"name": "a"}}]}`, ""},
	} {
		objs, err := cluster.Decode("in.json", []byte(c.data))
		switch {
		case c.want == "" && (err != nil || len(objs) != 1 || objs[0].Kind != "List"):
			t.Errorf("%s: %v, %d objects; want the List itself, its Items unread", c.data, err, len(objs))
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v; want an error with %q", c.data, err, c.want)
		}
		cluster.RequireSameDecode(t, "in.json", []byte(c.data))
	}
}
