package cluster

import "reflect"

// ProjectPod keeps of a fully decoded Pod only the fields the fast path decodes, so that tests can
// compare the two decoders' Pods with reflect.DeepEqual.
func ProjectPod(full any) any {
	src := reflect.ValueOf(full).Elem()
	dst := reflect.New(src.Type())
	project(src, dst.Elem(), podPlan)
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
func DecodeFast(file string, data []byte) ([]Object, bool) { return decodeFast(file, data) }
