package cluster_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
)

// The decoders take a List's items as the first pass finds them, before the kind, which kubectl
// writes after the items, says whether they are objects. An object with "items" that is no List
// reads as Decode reads it, whether its kind comes first (the fast path needs no guess) or last.
func TestItemsOfAnObjectThatIsNoList(t *testing.T) {
	item := `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "n"}}`
	items := strings.Repeat(item+",", 600) + item // more than two batches, sent before the kind
	for _, c := range []struct {
		name, data string
		fast       bool
	}{
		{"kind first", `{"apiVersion": "example.com/v1", "kind": "Basket", "metadata": {"name": "b"}, "items": [` + items + `]}`, true},
		{"kind last", `{"apiVersion": "example.com/v1", "items": [` + items + `], "kind": "Basket", "metadata": {"name": "b"}}`, false},
		{"a List, kind last", `{"apiVersion": "v1", "items": [` + items + `], "kind": "List", "metadata": {}}`, true},
	} {
		if _, fast := cluster.DecodeFast("in.json", []byte(c.data)); fast != c.fast {
			t.Errorf("%s: fast path %v, want %v", c.name, fast, c.fast)
		}
		cluster.RequireSameDecode(t, c.name, []byte(c.data))
	}
}

// A stream of documents, Lists and single objects mixed, keeps input order across the batches.
func TestDocumentsKeepTheirOrderAcrossBatches(t *testing.T) {
	var b strings.Builder
	for d := range 7 {
		if d%2 == 0 {
			b.WriteString(`{"apiVersion": "v1", "kind": "List", "items": [`)
			for i := range 300 {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "d%d-p%d", "namespace": "n"}}`, d, i)
			}
			b.WriteString("]}\n")
			continue
		}
		fmt.Fprintf(&b, `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns%d"}}`+"\n", d)
	}
	if _, fast := cluster.DecodeFast("in.json", []byte(b.String())); !fast {
		t.Fatal("the fast path gave up")
	}
	cluster.RequireSameDecode(t, "stream", []byte(b.String()))
}
