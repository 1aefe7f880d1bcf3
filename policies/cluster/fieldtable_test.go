package cluster

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// The table must answer as the map and encoding/json's matching it replaces: every field by its
// exact name, by any case-folded spelling, and nothing for other keys.
func TestFieldTableMatchesMapLookup(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[corev1.Pod](), reflect.TypeFor[corev1.PodSpec](), reflect.TypeFor[corev1.VolumeSource](), reflect.TypeFor[corev1.Container]()} {
		ti := infoOf(typ)
		for name, want := range ti.fields {
			for _, key := range []string{name, strings.ToUpper(name), strings.ToLower(name)} {
				got, ok := ti.field([]byte(key))
				if !ok || got.name != want.name {
					t.Errorf("%s: field(%q) = %q, %v; want %q", typ, key, got.name, ok, want.name)
				}
			}
			if _, ok := ti.byKey.exact([]byte(strings.ToUpper(name))); ok && strings.ToUpper(name) != name {
				t.Errorf("%s: exact(%q) found a case-folded name", typ, strings.ToUpper(name))
			}
			if _, ok := ti.field([]byte(name + "x")); ok {
				t.Errorf("%s: field(%q) found a field", typ, name+"x")
			}
		}
		for _, key := range []string{"", "x", "notAField", "spec.", "ſpec"} {
			if f, ok := ti.field([]byte(key)); ok && !strings.EqualFold(f.name, key) {
				t.Errorf("%s: field(%q) = %q", typ, key, f.name)
			}
		}
	}
}

func TestFieldTableOfNoStructFindsNothing(t *testing.T) {
	var empty fieldTable[int]
	if _, ok := empty.lookup([]byte("a")); ok {
		t.Error("lookup in an empty table found a field")
	}
	if _, ok := empty.exact([]byte("a")); ok {
		t.Error("exact in an empty table found a field")
	}
}
