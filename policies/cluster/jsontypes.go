package cluster

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The fast path skips the fields selmount does not read, but the old decoder refused an object
// whose unread fields have the wrong type (a string for containerPort, a bad quantity or
// timestamp), as the API server would. checkValue keeps that: it checks a value against the Go type
// unmarshal would decode it into, without building it, and answers false wherever
// unmarshal would fail or where this file does not model unmarshal exactly; Decode then
// reports the error in its own words.

// typeInfo is what checkValue needs of one Go type.
type typeInfo struct {
	t    reflect.Type
	kind reflect.Kind
	// custom types decode themselves (json.Unmarshaler, encoding.TextUnmarshaler, []byte as
	// base64): their values are handed to unmarshal.
	custom bool
	// unmodelled types (arrays, non-empty interfaces, ",string" fields, ambiguous embedded names)
	// make the fast path give up.
	unmodelled bool
	elem       *typeInfo             // pointer, slice and map element
	fields     map[string]fieldInfo  // struct fields by JSON name
	byKey      fieldTable[fieldInfo] // the same fields, for field()
}

type fieldInfo struct {
	name  string
	ord   int // 0, 1, 2… in the struct, for the repeated-key check
	index []int
	typ   *typeInfo
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	typeInfos           sync.Map // reflect.Type → *typeInfo
	typeInfoMu          sync.Mutex
)

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	typeInfoMu.Lock()
	defer typeInfoMu.Unlock()
	return buildInfo(t, map[reflect.Type]*typeInfo{})
}

// buildInfo is called with typeInfoMu held; building holds recursive types by their placeholder.
func buildInfo(t reflect.Type, building map[reflect.Type]*typeInfo) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	if ti, ok := building[t]; ok {
		return ti
	}
	ti := &typeInfo{t: t, kind: t.Kind()}
	building[t] = ti
	pt := reflect.PointerTo(t)
	switch {
	// A pointer to a custom type is a pointer like any other: unmarshal sets it nil on null and
	// otherwise hands the value to its element's method. Checked as one custom type, every Pod's
	// status.startTime (a *metav1.Time) went through a reflect.New and a whole Unmarshal.
	// (A value's own methods are in its pointer's method set too.)
	case t.Kind() != reflect.Pointer && (pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType)):
		ti.custom = true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		ti.custom = true // base64, or a []byte-like type with methods of its own
	case t.Kind() == reflect.Pointer, t.Kind() == reflect.Slice:
		ti.elem = buildInfo(t.Elem(), building)
	case t.Kind() == reflect.Map:
		kt := t.Key()
		if kt.Kind() != reflect.String || reflect.PointerTo(kt).Implements(textUnmarshalerType) {
			ti.unmodelled = true
		}
		ti.elem = buildInfo(t.Elem(), building)
	case t.Kind() == reflect.Struct:
		ti.fields = map[string]fieldInfo{}
		addFields(ti, t, nil, map[string]int{}, 0, building)
		ti.byKey = newFieldTable(ti.fields)
	case t.Kind() == reflect.Interface:
		ti.unmodelled = t.NumMethod() > 0
	case t.Kind() == reflect.Array, t.Kind() == reflect.Chan, t.Kind() == reflect.Func,
		t.Kind() == reflect.Complex64, t.Kind() == reflect.Complex128, t.Kind() == reflect.UnsafePointer:
		ti.unmodelled = true
	}
	typeInfos.Store(t, ti)
	return ti
}

// addFields lists a struct's fields as unmarshal names them, embedded structs without a name
// promoted. Two fields of one name make the struct unmodelled rather than copying unmarshal's
// dominance rules, which no type selmount reads needs.
func addFields(ti *typeInfo, t reflect.Type, index []int, depthOf map[string]int, depth int, building map[reflect.Type]*typeInfo) {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ti.unmodelled = true // decoding allocates through it; no type selmount reads has one
				continue
			}
			if ft.Kind() == reflect.Struct {
				addFields(ti, ft, idx, depthOf, depth+1, building)
				continue
			}
			if !sf.IsExported() {
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		for _, o := range strings.Split(opts, ",") {
			if o == "string" {
				ti.unmodelled = true
			}
		}
		if name == "" {
			name = sf.Name
		}
		if _, twice := depthOf[name]; twice {
			ti.unmodelled = true // which one a key decodes into is unmarshal's call
		}
		depthOf[name] = depth
		if len(ti.fields) >= 256 {
			ti.unmodelled = true
		}
		ti.fields[name] = fieldInfo{name: name, ord: len(ti.fields), index: idx, typ: buildInfo(sf.Type, building)}
	}
}

// field finds the struct field a key decodes into as Decode does: its name, case for case.
func (ti *typeInfo) field(key []byte) (fieldInfo, bool) {
	return ti.byKey.exact(key)
}

// checkValue checks the value at d[i] against ti and returns the index after it, -1 when
// unmarshal would refuse it or the fast path cannot tell.
func checkValue(d []byte, i int, ti *typeInfo, depth int) int {
	if ti.unmodelled || i >= len(d) || depth >= maxScanDepth {
		return -1
	}
	if ti.custom {
		end := skipValue(d, i, depth)
		if end < 0 || !decodesInto(d[i:end], ti.t) {
			return -1
		}
		return end
	}
	if d[i] == 'n' { // null leaves a value as it is, or sets it to nil: never an error
		return scanLiteral(d, i, "null")
	}
	switch ti.kind {
	case reflect.Pointer:
		return checkValue(d, i, ti.elem, depth)
	case reflect.Bool:
		if d[i] == 't' {
			return scanLiteral(d, i, "true")
		}
		return scanLiteral(d, i, "false")
	case reflect.String:
		if d[i] != '"' {
			return -1
		}
		end, _ := scanString(d, i)
		return end
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		end := scanNumber(d, i)
		if end < 0 {
			return -1
		}
		// As unmarshal: an integer that fits, no fraction or exponent.
		if _, err := strconv.ParseInt(string(d[i:end]), 10, ti.t.Bits()); err != nil {
			return -1
		}
		return end
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		end := scanNumber(d, i)
		if end < 0 {
			return -1
		}
		if _, err := strconv.ParseUint(string(d[i:end]), 10, ti.t.Bits()); err != nil {
			return -1
		}
		return end
	case reflect.Float32, reflect.Float64:
		end := scanNumber(d, i)
		if end < 0 {
			return -1
		}
		if _, err := strconv.ParseFloat(string(d[i:end]), ti.t.Bits()); err != nil {
			return -1
		}
		return end
	case reflect.Interface:
		return skipValue(d, i, depth)
	case reflect.Slice:
		return eachElement(d, i, depth, func(v int) int { return checkValue(d, v, ti.elem, depth+1) })
	case reflect.Map:
		return eachMember(d, i, depth, func(_ []byte, _ bool, v int) int { return checkValue(d, v, ti.elem, depth+1) })
	case reflect.Struct:
		return eachMember(d, i, depth, func(key []byte, simple bool, v int) int {
			if !simple {
				return -1 // unmarshal unescapes keys before matching them
			}
			f, ok := ti.field(key)
			if !ok {
				return skipValue(d, v, depth+1)
			}
			return checkValue(d, v, f.typ, depth+1)
		})
	}
	return -1
}

// customChecks check plain strings for the custom types of every Pod (its timestamps, its probes'
// ports, its resource quantities) as their UnmarshalJSON would, without reflect.New and a round
// trip through unmarshal. Each of their UnmarshalJSON accepts null, and so does decodesInto.
var customChecks = map[reflect.Type]func([]byte) bool{
	reflect.TypeFor[metav1.Time](): func(b []byte) bool {
		if isPlainTimestamp(b) {
			return true
		}
		_, err := time.Parse(time.RFC3339, string(b))
		return err == nil
	},
	reflect.TypeFor[intstr.IntOrString](): func([]byte) bool { return true },
	reflect.TypeFor[resource.Quantity](): func(b []byte) bool {
		if isPlainQuantity(b) {
			return true
		}
		_, err := resource.ParseQuantity(strings.TrimSpace(string(b)))
		return err == nil
	},
}

// decodesInto tells whether unmarshal decodes js into a fresh value of type t without error.
// An Unmarshaler is called directly, as unmarshal calls it with the value's bytes; other
// custom types go through unmarshal.
func decodesInto(js []byte, t reflect.Type) bool {
	if check, ok := customChecks[t]; ok {
		if string(js) == "null" {
			return true
		}
		if js[0] == '"' {
			if _, simple := scanString(js, 0); simple {
				return check(js[1 : len(js)-1])
			}
		}
	}
	p := reflect.New(t)
	if u, ok := p.Interface().(json.Unmarshaler); ok {
		return u.UnmarshalJSON(js) == nil
	}
	return unmarshal(js, p.Interface()) == nil
}
