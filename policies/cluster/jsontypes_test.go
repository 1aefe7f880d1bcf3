package cluster

import (
	"encoding/json"
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The shortcuts of decodesInto must answer as encoding/json does, for null, plain and escaped
// strings, and the other JSON values these types meet.
func TestDecodesIntoAgreesWithEncodingJSON(t *testing.T) {
	values := []string{
		`null`, `"1Gi"`, `"1Gx"`, `" 100m "`, `""`, `"\u0031Gi"`, `5`, `-1.5`, `1e3`, `true`, `{}`, `[]`,
		`"2026-03-01T08:00:00Z"`, `"yesterday"`, `"2026-03-01T08:00:00+01:00"`, `"http"`, `2147483648`,
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[metav1.Time](), reflect.TypeFor[resource.Quantity](), reflect.TypeFor[intstr.IntOrString]()} {
		for _, v := range values {
			want := json.Unmarshal([]byte(v), reflect.New(typ).Interface()) == nil
			if got := decodesInto([]byte(v), typ); got != want {
				t.Errorf("decodesInto(%s, %s) = %v, encoding/json says %v", v, typ, got, want)
			}
		}
	}
}

// A pointer to a custom type is checked as a pointer to its element, and must answer as Decode does.
func TestCheckValueOfPointersToCustomTypes(t *testing.T) {
	values := []string{`null`, `"2026-03-01T08:00:00Z"`, `"yesterday"`, `"1Gi"`, `"1Gx"`, `5`, `{}`, `[]`, `""`}
	for _, typ := range []reflect.Type{reflect.TypeFor[*metav1.Time](), reflect.TypeFor[*resource.Quantity](), reflect.TypeFor[*intstr.IntOrString]()} {
		ti := infoOf(typ)
		if ti.custom || ti.kind != reflect.Pointer || !ti.elem.custom {
			t.Fatalf("%s: custom %v, kind %v; want a pointer to a custom type", typ, ti.custom, ti.kind)
		}
		for _, v := range values {
			want := unmarshal([]byte(v), reflect.New(typ).Interface()) == nil
			if got := checkValue([]byte(v), 0, ti, 0) == len(v); got != want {
				t.Errorf("checkValue(%s, %s) = %v, Decode says %v", v, typ, got, want)
			}
			dst := reflect.New(typ).Elem()
			if got := decodeValue([]byte(v), 0, dst, ti, 0) == len(v); got != want {
				t.Errorf("decodeValue(%s, %s) = %v, Decode says %v", v, typ, got, want)
			}
		}
	}
}
