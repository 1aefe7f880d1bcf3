package cluster

import "reflect"

// Project keeps of a decoded object only the fields the fast path decodes for its kind, so that
// tests can compare the two decoders' objects with reflect.DeepEqual.
func Project(o Object) any {
	if pod := PodFromObject(&o); pod != nil && o.Kind == "Pod" {
		// The scan keeps a Pod's Model; its labels it never decoded.
		pod.Spec, pod.Labels = nil, nil
		return pod
	}
	p, planned := kindPlans[kindKey(o.APIVersion, o.Kind)]
	if !planned || o.Typed == nil {
		return o.Typed
	}
	src := reflect.ValueOf(o.Typed).Elem()
	dst := reflect.New(src.Type())
	project(src, dst.Elem(), p)
	return dst.Interface()
}

func project(src, dst reflect.Value, p *plan) {
	for _, pf := range p.fields {
		sf, df := src.FieldByIndex(pf.index), dst.FieldByIndex(pf.index)
		switch {
		case pf.sub == nil:
			df.Set(sf)
		case !pf.slice:
			project(sf, df, pf.sub)
		case sf.IsNil():
			df.SetZero()
		default:
			s := reflect.MakeSlice(sf.Type(), sf.Len(), sf.Len())
			for i := 0; i < sf.Len(); i++ {
				project(sf.Index(i), s.Index(i), pf.sub)
			}
			df.Set(s)
		}
	}
}

// DecodeFast is the fast path alone: false where DecodeScan falls back to Decode.
func DecodeFast(file string, data []byte) ([]Object, bool) {
	return decodeFast(file, data, func(int, int) {})
}

// SeedCorpus adds the scenario and example seeds of FuzzDecode to another fuzzer.
var SeedCorpus = seedCorpus

// RequireSameDecode is requireSameDecode for the external tests.
var RequireSameDecode = requireSameDecode
