package cluster

import (
	"reflect"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// decodeValue decodes the value at d[i] into v as unmarshal would, and returns the index after
// it (-1 where unmarshal would fail, or where it would merge a repeated key into an earlier
// value: the fast path then gives up). It builds strings, numbers, booleans, pointers, slices, maps
// and structs itself, the bulk of any manifest, and hands custom types (quantities, timestamps,
// int-or-strings), interfaces and escaped strings to unmarshal.
func decodeValue(d []byte, i int, v reflect.Value, ti *typeInfo, depth int) int {
	if ti.unmodelled || i >= len(d) || depth >= maxScanDepth {
		return -1
	}
	if ti.t == timeType {
		if end, ok := decodeTime(d, i, v); ok {
			return end
		}
	}
	if ti.custom || ti.kind == reflect.Interface {
		return unmarshalValue(d, i, skipValue(d, i, depth), v)
	}
	if d[i] == 'n' {
		end := scanLiteral(d, i, "null")
		switch ti.kind {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			if end > 0 {
				v.SetZero()
			}
		}
		return end
	}
	switch ti.kind {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(ti.t.Elem()))
		}
		return decodeValue(d, i, v.Elem(), ti.elem, depth)
	case reflect.String:
		if d[i] != '"' {
			return -1
		}
		end, simple := scanString(d, i)
		if end < 0 || !simple {
			return unmarshalValue(d, i, end, v)
		}
		v.SetString(string(d[i+1 : end-1]))
		return end
	case reflect.Bool:
		if end := scanLiteral(d, i, "true"); end > 0 {
			v.SetBool(true)
			return end
		}
		end := scanLiteral(d, i, "false")
		if end > 0 {
			v.SetBool(false)
		}
		return end
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		end := scanNumber(d, i)
		if end < 0 {
			return -1
		}
		n, err := strconv.ParseInt(string(d[i:end]), 10, ti.t.Bits())
		if err != nil {
			return -1
		}
		v.SetInt(n)
		return end
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		end := scanNumber(d, i)
		if end < 0 {
			return -1
		}
		n, err := strconv.ParseUint(string(d[i:end]), 10, ti.t.Bits())
		if err != nil {
			return -1
		}
		v.SetUint(n)
		return end
	case reflect.Float32, reflect.Float64:
		end := scanNumber(d, i)
		if end < 0 {
			return -1
		}
		f, err := strconv.ParseFloat(string(d[i:end]), ti.t.Bits())
		if err != nil {
			return -1
		}
		v.SetFloat(f)
		return end
	case reflect.Slice:
		if d[i] != '[' {
			return -1
		}
		s, n := makeSlice(d, i, ti.t, depth)
		k := 0
		end := eachElement(d, i, depth, func(e int) int {
			if k++; k > n {
				return -1
			}
			return decodeValue(d, e, s.Index(k-1), ti.elem, depth+1)
		})
		if end > 0 {
			if k != n {
				return -1 // never: the count and the decode read the same elements
			}
			v.Set(s)
		}
		return end
	case reflect.Map:
		if d[i] != '{' {
			return -1
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(ti.t))
		}
		kt, et := ti.t.Key(), ti.t.Elem()
		return eachMember(d, i, depth, func(key []byte, simple bool, e int) int {
			if !simple {
				return -1
			}
			ev := reflect.New(et).Elem()
			end := decodeValue(d, e, ev, ti.elem, depth+1)
			if end > 0 {
				v.SetMapIndex(reflect.ValueOf(string(key)).Convert(kt), ev)
			}
			return end
		})
	case reflect.Struct:
		if d[i] != '{' {
			return -1
		}
		var seen [4]uint64 // by field ordinal; structs of more fields are unmodelled
		return eachMember(d, i, depth, func(key []byte, simple bool, e int) int {
			if !simple {
				return -1
			}
			f, ok := ti.field(key)
			if !ok {
				return skipValue(d, e, depth+1)
			}
			if seen[f.ord/64]&(1<<(f.ord%64)) != 0 {
				return -1 // a repeated key: unmarshal would merge it into the first
			}
			seen[f.ord/64] |= 1 << (f.ord % 64)
			return decodeValue(d, e, v.FieldByIndex(f.index), f.typ, depth+1)
		})
	}
	return -1
}

// unmarshalValue decodes d[i:end] into v as Decode does.
func unmarshalValue(d []byte, i, end int, v reflect.Value) int {
	if end < 0 || unmarshal(d[i:end], v.Addr().Interface()) != nil {
		return -1
	}
	return end
}

// makeSlice makes the slice for the array at d[i] at its final length, its elements counted first:
// growing it by append cost a tenth of the decoder's time in copies and garbage, and left up to
// twice the room in slices of large structs (volumes, containers) held for every Pod of a dump.
// n is -1 where the count gives up, and the decode then gives up too.
func makeSlice(d []byte, i int, t reflect.Type, depth int) (reflect.Value, int) {
	n := countElements(d, i, depth)
	if n < 0 {
		return reflect.Value{}, -1
	}
	return reflect.MakeSlice(t, n, n), n
}

// countElements counts the elements of the array at d[i], -1 where the count gives up.
func countElements(d []byte, i, depth int) int {
	n := 0
	if eachElement(d, i, depth, func(e int) int { n++; return itemEnd(d, e, depth+1) }) < 0 {
		return -1
	}
	return n
}

// timeType is a Pod's creationTimestamp, decoded for every Pod of a dump.
var timeType = reflect.TypeFor[metav1.Time]()

// decodeTime decodes a plain string into a metav1.Time as its UnmarshalJSON does (RFC 3339, in
// local time), without the round trip through unmarshal that cost three allocations a Pod. ok
// is false for anything else (null, an escape), which unmarshal decodes.
func decodeTime(d []byte, i int, v reflect.Value) (end int, ok bool) {
	if d[i] != '"' {
		return 0, false
	}
	end, simple := scanString(d, i)
	if end < 0 || !simple {
		return 0, false
	}
	t, err := time.Parse(time.RFC3339, string(d[i+1:end-1]))
	if err != nil {
		return -1, true // UnmarshalJSON's error
	}
	*v.Addr().Interface().(*metav1.Time) = metav1.Time{Time: t.Local()}
	return end, true
}
