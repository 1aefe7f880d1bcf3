package cluster

import (
	"fmt"
	"reflect"
	"testing"
)

// requireSameDecode fails unless DecodeScan returns what Decode returns: the same error text, or
// the same objects with planned kinds compared on the fields the fast path decodes.
func requireSameDecode(t testing.TB, name string, data []byte) {
	t.Helper()
	want, wantErr := Decode(name, data)
	got, gotErr := DecodeScan(name, data)
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("%s: error\nDecode:     %v\nDecodeScan: %v", name, wantErr, gotErr)
	}
	if wantErr != nil {
		return
	}
	if len(want) != len(got) {
		t.Fatalf("%s: Decode gave %d objects, DecodeScan %d", name, len(want), len(got))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.Raw != nil {
			t.Fatalf("%s: %s: DecodeScan kept Raw", name, g.Source)
		}
		w.Raw = nil
		// Decode keeps whole objects, and so does DecodeScan where it falls back to it; only the
		// decoded fields are promised.
		w.Typed, g.Typed = Project(w), Project(g)
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("%s: object %d differs\nDecode:     %+v\n%+v\nDecodeScan: %+v\n%+v", name, i, w, w.Typed, g, g.Typed)
		}
	}
}
