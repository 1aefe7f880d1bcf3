package cluster

import (
	"bytes"
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DecodeScan decodes a file for `selmount scan`: the same objects, in the same order, with the
// same errors as Decode, except that no object carries Raw, the Typed of a claim or volume read by
// the fast path holds only the fields the model reads (fastpod.go), and the Typed of a Pod read by
// the fast path is the *Pod the model reads, with its Model and no Spec (readForModel). A JSON file
// (a `kubectl get -o json` dump, a JSON stream) is read by a fast path that never builds the
// document tree: items of a List are located in one pass and decoded on every core, Pods, claims
// and volumes field by field. YAML is converted document by document, as Decode converts it, and
// each document's JSON read the same way (fastyaml.go). Anything the fast path does not read
// exactly as Decode would (a malformed or over-limit object, a repeated key, escapes in a kind)
// sends the whole file through Decode, so errors and rare shapes stay Decode's, word for word.
func DecodeScan(file string, data []byte) ([]Object, error) {
	return DecodeScanReleasing(file, data, nil)
}

// DecodeScanReleasing is DecodeScan telling release(from, to) when the fast path is done with
// data[from:to], so that a caller holding the file's pages can hand them back while the rest is
// decoded. Done is not gone: should the file end in Decode after all, it reads every byte again,
// so release must leave the bytes readable (as dropping a read-only mapped page does: it is read
// from the file again when touched). A nil release is DecodeScan.
func DecodeScanReleasing(file string, data []byte, release func(from, to int)) ([]Object, error) {
	if release == nil {
		release = func(int, int) {}
	}
	if objs, ok := decodeFast(file, data, release); ok {
		return objs, nil
	}
	objs, err := Decode(file, data)
	for i := range objs {
		objs[i].Raw = nil
	}
	return objs, err
}

// span is one object to decode: an item of a List, or a whole document.
type span struct {
	start, end int
	src        Source
}

// decodeFast returns false for anything it does not decode exactly as Decode.
func decodeFast(file string, data []byte, release func(from, to int)) ([]Object, bool) {
	trimmed := bytes.TrimPrefix(data, utf8BOM)
	bom := len(data) - len(trimmed)
	data = trimmed
	done := func(from, to int) { release(bom+from, bom+to) }
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return decodeYAMLFast(file, data) // YAML, as Decode reads all but a JSON stream
	}
	p := startDecoders(data, done)
	for doc := 1; i < len(data); doc++ {
		items := 0
		whole, end, list, ok := documentSpans(data, i, Source{File: file, Doc: doc}, func(s span) bool {
			items++
			return p.add(s)
		})
		switch {
		case !ok:
			return p.abort()
		case !list && items > 0:
			// An object with "items" whose kind is no List: its items went to the decoders before
			// the kind (kubectl writes it after them) said they are none. Rare; Decode's.
			return p.abort()
		case !list && !p.add(whole):
			return p.abort()
		}
		i = skipWS(data, end)
	}
	return p.finish()
}

// documentSpans reads the top-level JSON value at data[i] as the old decoder's header does (kind,
// apiVersion, metadata, items). It passes each item to emit as it finds it, before it knows
// whether the value is a List (kubectl writes the kind after the items), and returns the value's
// own span, its end, and whether it is a List. emit returns false to stop the read.
func documentSpans(data []byte, i int, src Source, emit func(span) bool) (whole span, end int, list, ok bool) {
	var kind string
	var seenKind, seenItems, seenVersion, seenMeta bool
	end = eachMember(data, i, 0, func(key []byte, simple bool, v int) int {
		if !simple {
			return -1
		}
		switch string(key) {
		case "kind":
			end, simpleValue := scanString(data, v)
			if seenKind || end < 0 || !simpleValue || data[v] != '"' {
				return -1
			}
			seenKind, kind = true, string(data[v+1:end-1])
			return end
		case "apiVersion":
			if seenVersion {
				return -1
			}
			seenVersion = true
			return checkValue(data, v, headerInfo.fields["apiVersion"].typ, 1)
		case "metadata":
			if seenMeta {
				return -1
			}
			seenMeta = true
			return checkValue(data, v, headerInfo.fields["metadata"].typ, 1)
		case "items":
			if seenItems || v >= len(data) || data[v] != '[' {
				return -1 // "items": null and repeated lists are Decode's
			}
			seenItems = true
			// Items are objects only of a List; a kind already read may say they are not.
			speculate := !seenKind || strings.HasSuffix(kind, "List")
			n := 0
			return eachElement(data, v, 1, func(e int) int {
				n++
				end := itemEnd(data, e, 2)
				itemSrc := src
				itemSrc.Item = n
				if end < 0 || speculate && !emit(span{e, end, itemSrc}) {
					return -1
				}
				return end
			})
		}
		return skipValue(data, v, 1)
	})
	if end < 0 || kind == "" {
		return span{}, 0, false, false
	}
	// Not a List: the document is the object, its "items" (if any) a field like any other.
	return span{i, end, src}, end, seenItems && strings.HasSuffix(kind, "List"), true
}

// headerInfo checks the header fields as the old decoder unmarshalled them.
var headerInfo = infoOf(reflect.TypeFor[header]())

// readForModel turns a decoded Pod into the *Pod the model reads, as soon as it is decoded: the
// decoded corev1.Pod is garbage from then on, and the scan of a 100k-Pod dump never holds all the
// decoded Pods at once, only their Models (a tenth of them).
func readForModel(obj Object, in *interner) Object {
	if _, ok := obj.Typed.(*corev1.Pod); ok {
		pod := PodFromObject(&obj)
		pod.Spec = nil
		in.pod(pod)
		obj.Typed = pod
	}
	return obj
}

// decodeSpan decodes one object: Pods, claims and volumes field by field (kindPlans), any other
// kind (few in any input) with the old decoder's own code on its bytes. A Pod is decoded into
// scratch, which the caller turns into its Model (readForModel) before the next.
func decodeSpan(data []byte, s span, scratch *corev1.Pod) (Object, bool) {
	js := data[s.start:s.end]
	if len(js) > MaxObjectBytes || js[0] != '{' {
		return Object{}, false
	}
	apiVersion, kind, ok := peekKind(js)
	key := kindKey(apiVersion, kind)
	p, planned := kindPlans[key]
	if !ok || !planned {
		out, err := appendItem(nil, s.src, js)
		if err != nil {
			return Object{}, false
		}
		out[0].Raw = nil
		return out[0], true
	}
	var typed any
	if key == "/Pod" {
		// readForModel keeps nothing of the struct, so one per worker does for every Pod, and
		// its arrays serve the next Pod (decodeSlice).
		resetKeeping(reflect.ValueOf(scratch).Elem(), podPlan)
		typed = scratch
	} else {
		typed = typedKinds[key]()
	}
	if decodeStruct(js, 0, reflect.ValueOf(typed).Elem(), p, 0, true) != len(js) {
		return Object{}, false
	}
	meta := typed.(metav1.Object)
	obj := Object{APIVersion: apiVersion, Kind: kind, Namespace: meta.GetNamespace(), Name: meta.GetName(), Source: s.src, Typed: typed}
	if obj.Name == "" {
		return Object{}, false // Decode's error
	}
	if !namespaced[kind] {
		obj.Namespace = ""
	} else if obj.Namespace == "" {
		obj.Namespace = DefaultNamespace
	}
	return obj, true
}

// peekKind finds the "apiVersion" and "kind" of an object, which kubectl writes first. A later
// repeat of either key is caught by decodeStruct; a kind given another way goes to the old decoder.
func peekKind(js []byte) (apiVersion, kind string, ok bool) {
	var haveVersion, haveKind bool
	stop := len(js) + 1
	eachMember(js, 0, 0, func(key []byte, simple bool, v int) int {
		if !simple || v >= len(js) || js[v] != '"' {
			return stop
		}
		end, simpleValue := scanString(js, v)
		if end < 0 || !simpleValue {
			return stop
		}
		switch string(key) {
		case "apiVersion":
			apiVersion, haveVersion = string(js[v+1:end-1]), true
		case "kind":
			kind, haveKind = string(js[v+1:end-1]), true
		default:
			return stop
		}
		if haveVersion && haveKind {
			return stop
		}
		return end
	})
	return apiVersion, kind, haveVersion && haveKind
}
