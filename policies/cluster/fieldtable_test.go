package cluster

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// The table must answer as the map it replaces and as the API server matches keys: every field by
// its exact name, nothing for another spelling or another key.
func TestFieldTableMatchesMapLookup(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[corev1.Pod](), reflect.TypeFor[corev1.PodSpec](), reflect.TypeFor[corev1.VolumeSource](), reflect.TypeFor[corev1.Container]()} {
		ti := infoOf(typ)
		for name, want := range ti.fields {
			if got, ok := ti.field([]byte(name)); !ok || got.name != want.name {
				t.Errorf("%s: field(%q) = %q, %v; want %q", typ, name, got.name, ok, want.name)
			}
			for _, key := range []string{strings.ToUpper(name), strings.ToUpper(name[:1]) + name[1:], name + "x"} {
				if f, ok := ti.field([]byte(key)); ok && key != name {
					t.Errorf("%s: field(%q) found %q", typ, key, f.name)
				}
			}
		}
		for _, key := range []string{"", "x", "notAField", "spec.", "ſpec"} {
			if f, ok := ti.field([]byte(key)); ok {
				t.Errorf("%s: field(%q) = %q", typ, key, f.name)
			}
		}
	}
}

func TestFieldTableOfNoStructFindsNothing(t *testing.T) {
	var empty fieldTable[int]
	if _, ok := empty.exact([]byte("a")); ok {
		t.Error("exact in an empty table found a field")
	}
}
