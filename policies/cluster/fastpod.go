package cluster

import (
	"encoding/json"
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Pods, claims and volumes are nearly all of a cluster dump, and most of a Pod (status, probes, env,
// ports, tolerations, labels) is never read by the model. The fast path decodes into the typed
// object only the fields below, each exactly as unmarshal would, and checks the others without
// building them (jsontypes.go). These are every field policies/ and cmd/selmount read of these
// kinds; a field read later must be added here, or the scan equivalence test in cmd/selmount fails
// wherever the corpus exercises it.

// plan is the fields of one struct type to decode; the struct's other fields are only checked.
type plan struct {
	info   *typeInfo
	fields map[string]planField
	byKey  fieldTable[planField] // the same fields, for decodeStruct
	subs   []planField           // the fields with a sub plan, for resetKeeping
}

type planField struct {
	index []int
	// sub is a plan for a struct (or, with slice, for each element of a slice of structs) to
	// decode field by field; nil decodes the whole field with unmarshal.
	sub   *plan
	slice bool
	bit   uint64
	typ   *typeInfo
}

func newPlan(t reflect.Type, full []string, sub map[string]*plan, slices map[string]*plan) *plan {
	p := &plan{info: infoOf(t), fields: map[string]planField{}}
	add := func(name string, s *plan, slice bool) {
		f, ok := p.info.fields[name]
		if !ok {
			panic("cluster: no field " + name + " in " + t.String()) // a typo in the plans below
		}
		p.fields[name] = planField{index: f.index, sub: s, slice: slice, bit: 1 << len(p.fields), typ: f.typ}
	}
	for _, name := range full {
		add(name, nil, false)
	}
	for name, s := range sub {
		add(name, s, false)
	}
	for name, s := range slices {
		add(name, s, true)
	}
	p.byKey = newFieldTable(p.fields)
	for _, f := range p.fields {
		if f.sub != nil {
			p.subs = append(p.subs, f)
		}
	}
	return p
}

// Of the metadata, the model reads names, a Pod's creationTimestamp (Build orders a dump's Pods by
// it), and a claim's uid (to match a volume's claimRef); of a
// PersistentVolume also the zone labels and the resource-group annotation that name a migrated
// volume (migration.go). Other labels and annotations it reads only of Namespaces and
// StorageClasses, which are decoded whole.
var (
	podMetaPlan   = newPlan(reflect.TypeFor[metav1.ObjectMeta](), []string{"name", "namespace", "creationTimestamp"}, nil, nil)
	claimMetaPlan = newPlan(reflect.TypeFor[metav1.ObjectMeta](), []string{"name", "namespace", "uid"}, nil, nil)
	pvMetaPlan    = newPlan(reflect.TypeFor[metav1.ObjectMeta](), []string{"name", "namespace", "uid", "labels", "annotations"}, nil, nil)
	// A claim's phase decides how it resolves (Decision 6).
	claimStatusPlan = newPlan(reflect.TypeFor[corev1.PersistentVolumeClaimStatus](), []string{"phase"}, nil, nil)
	// Of a claim's and a volume's spec, the model reads how it binds, its modes, and the volume's
	// source; not the capacity or the requests, whose maps of quantities were a tenth of the
	// decoded objects of a dump.
	claimSpecPlan = newPlan(reflect.TypeFor[corev1.PersistentVolumeClaimSpec](), []string{"accessModes", "volumeName", "storageClassName", "volumeMode"}, nil, nil)
	pvSpecPlan    = newPlan(reflect.TypeFor[corev1.PersistentVolumeSpec](),
		append(jsonNames(reflect.TypeFor[corev1.PersistentVolumeSource]()), "accessModes", "claimRef", "volumeMode"), nil, nil)
)

// kindPlans are the kinds decoded field by field, by kindKey: the Pods and the claims and volumes
// they use, which is nearly all of a dump. Other kinds are decoded whole.
var kindPlans = map[string]*plan{
	"/Pod": podPlan,
	"/PersistentVolumeClaim": newPlan(reflect.TypeFor[corev1.PersistentVolumeClaim](), []string{"apiVersion", "kind"},
		map[string]*plan{"metadata": claimMetaPlan, "spec": claimSpecPlan, "status": claimStatusPlan}, nil),
	"/PersistentVolume": newPlan(reflect.TypeFor[corev1.PersistentVolume](), []string{"apiVersion", "kind"},
		map[string]*plan{"metadata": pvMetaPlan, "spec": pvSpecPlan}, nil),
}

// jsonNames are the JSON names of a struct's fields: every source a PersistentVolume may have.
func jsonNames(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

// podPlan decodes what ModelOf reads: readForModel turns each Pod into its Model at once, so a
// field decoded beyond that (a mount's path, a projected volume's sources, a container's
// capabilities) is only garbage to collect.
var podPlan = func() *plan {
	names := func(t reflect.Type) *plan { return newPlan(t, []string{"name"}, nil, nil) }
	container := func(t reflect.Type) *plan {
		options := newPlan(reflect.TypeFor[corev1.SecurityContext](), []string{"seLinuxOptions"}, nil, nil)
		return newPlan(t, nil, map[string]*plan{"securityContext": options}, map[string]*plan{
			"volumeMounts": names(reflect.TypeFor[corev1.VolumeMount]()), "volumeDevices": names(reflect.TypeFor[corev1.VolumeDevice]())})
	}
	volume := newPlan(reflect.TypeFor[corev1.Volume](), append([]string{"name"}, modelSources()...), nil, nil)
	podOptions := newPlan(reflect.TypeFor[corev1.PodSecurityContext](), []string{"seLinuxOptions", "seLinuxChangePolicy"}, nil, nil)
	spec := newPlan(reflect.TypeFor[corev1.PodSpec](), []string{"nodeName", "os"}, map[string]*plan{"securityContext": podOptions}, map[string]*plan{
		"volumes":             volume,
		"containers":          container(reflect.TypeFor[corev1.Container]()),
		"initContainers":      container(reflect.TypeFor[corev1.Container]()),
		"ephemeralContainers": container(reflect.TypeFor[corev1.EphemeralContainer]()),
	})
	status := newPlan(reflect.TypeFor[corev1.PodStatus](), []string{"phase"}, nil, nil)
	return newPlan(reflect.TypeFor[corev1.Pod](), []string{"apiVersion", "kind"}, map[string]*plan{"metadata": podMetaPlan, "spec": spec, "status": status}, nil)
}()

// modelSources are the JSON names of the volume sources a Model keeps (unsharedSource clears the
// others).
func modelSources() []string {
	var out []string
	for _, name := range jsonNames(reflect.TypeFor[corev1.VolumeSource]()) {
		var src corev1.VolumeSource
		setSource(&src, name)
		unsharedSource(&src)
		if src != (corev1.VolumeSource{}) {
			out = append(out, name)
		}
	}
	return out
}

// setSource sets the VolumeSource field of that JSON name to an empty source.
func setSource(src *corev1.VolumeSource, name string) {
	v := reflect.ValueOf(src).Elem()
	for i, f := range reflect.VisibleFields(v.Type()) {
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			v.Field(i).Set(reflect.New(f.Type.Elem()))
		}
	}
}

// headerItemsInfo checks a Pod's "items" key, which the old decoder's header read as a list.
var headerItemsInfo = infoOf(reflect.TypeFor[[]json.RawMessage]())

func decodeStruct(d []byte, i int, v reflect.Value, p *plan, depth int, top bool) int {
	if isNull(d, i) {
		return i + 4 // null into a struct changes nothing
	}
	var seen uint64
	return eachMember(d, i, depth, func(key []byte, simple bool, vi int) int {
		if !simple {
			return -1
		}
		pf, planned := p.byKey.exact(key)
		if !planned {
			if f, ok := p.info.field(key); ok {
				return checkValue(d, vi, f.typ, depth+1)
			}
			if top && string(key) == "items" {
				return checkValue(d, vi, headerItemsInfo, depth+1)
			}
			return skipValue(d, vi, depth+1)
		}
		if seen&pf.bit != 0 {
			return -1 // unmarshal merges a repeated key into the first value's; Decode does that
		}
		seen |= pf.bit
		fv := v.FieldByIndex(pf.index)
		switch {
		case pf.sub == nil:
			return decodeValue(d, vi, fv, pf.typ, depth+1)
		case pf.slice:
			return decodeSlice(d, vi, fv, pf.sub, depth+1)
		}
		if fv.Kind() == reflect.Pointer {
			// As unmarshal: null clears the pointer, an object fills a new struct.
			if isNull(d, vi) {
				fv.SetZero()
				return vi + 4
			}
			if fv.IsNil() {
				fv.Set(reflect.New(fv.Type().Elem()))
			}
			fv = fv.Elem()
		}
		return decodeStruct(d, vi, fv, pf.sub, depth+1, false)
	})
}

func decodeSlice(d []byte, i int, v reflect.Value, p *plan, depth int) int {
	if isNull(d, i) {
		v.SetZero()
		return i + 4
	}
	var s reflect.Value
	n := countElements(d, i, depth)
	switch {
	case n < 0:
		return -1
	case v.Cap() > 0 && v.Cap() >= n:
		// Only the scratch Pod (decodeSpan) holds arrays here: its volumes, containers and
		// mounts, whose elements the Model copies. Reused, they were a third of what a scan's
		// decode allocated, and so of its collections.
		s = v.Slice(0, n)
		for k := range n {
			resetKeeping(s.Index(k), p)
		}
	default:
		s = reflect.MakeSlice(v.Type(), n, n)
	}
	k := 0
	end := eachElement(d, i, depth, func(ei int) int {
		if k++; k > n {
			return -1
		}
		return decodeStruct(d, ei, s.Index(k-1), p, depth+1, false)
	})
	if end >= 0 {
		if k != n {
			return -1 // never: the count and the decode read the same elements
		}
		v.Set(s)
	}
	return end
}

// resetKeeping zeroes v, a struct decoded by p, but keeps the arrays of its planned slices of
// structs (at length 0), for decodeSlice to reuse in the next value decoded into v. Nothing may
// hold those arrays past that value: only the scratch Pod of a worker is reset so.
func resetKeeping(v reflect.Value, p *plan) {
	var buf [8]keptSlice
	kept := keptSlices(v, p, buf[:0])
	v.SetZero()
	for _, k := range kept {
		k.field.Set(k.empty)
	}
}

type keptSlice struct{ field, empty reflect.Value }

func keptSlices(v reflect.Value, p *plan, out []keptSlice) []keptSlice {
	for _, pf := range p.subs {
		f := v.FieldByIndex(pf.index)
		switch {
		case pf.slice:
			if f.Cap() > 0 {
				out = append(out, keptSlice{f, f.Slice(0, 0)})
			}
		case f.Kind() == reflect.Struct:
			out = keptSlices(f, pf.sub, out)
		}
	}
	return out
}
