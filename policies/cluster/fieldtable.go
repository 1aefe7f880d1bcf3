package cluster

// fieldTable finds a struct field by its JSON key for the fast path. Key lookups were the largest
// single cost of decoding a dump: a Go map hashes every byte of every key. This table hashes a key's
// length and three of its bytes, which tell the fields of the types selmount reads apart in one or
// two probes. Keys match case for case, as the API server and Decode match them.
type fieldTable[T any] struct {
	mask  uint32
	slots []fieldSlot[T]
}

type fieldSlot[T any] struct {
	used bool
	name string
	val  T
}

func newFieldTable[T any](fields map[string]T) fieldTable[T] {
	size := 8
	for size < 4*len(fields) {
		size *= 2
	}
	t := fieldTable[T]{mask: uint32(size - 1), slots: make([]fieldSlot[T], size)}
	for name, v := range fields {
		h := keyHash(name)
		for t.slots[h&t.mask].used {
			h++
		}
		t.slots[h&t.mask] = fieldSlot[T]{used: true, name: name, val: v}
	}
	return t
}

// exact finds the field named key.
func (t *fieldTable[T]) exact(key []byte) (T, bool) {
	if len(t.slots) == 0 {
		var zero T
		return zero, false // not a struct's table
	}
	for h := keyHash(key); ; h++ {
		s := &t.slots[h&t.mask]
		if !s.used {
			var zero T
			return zero, false
		}
		if s.name == string(key) {
			return s.val, true
		}
	}
}

// keyHash hashes a key's length and its first, middle and last bytes.
func keyHash[S ~string | ~[]byte](key S) uint32 {
	n := len(key)
	h := uint32(n) * 2654435761
	if n > 0 {
		h ^= uint32(key[0])*0x01000193 + uint32(key[n/2])*0x9E3779B1 + uint32(key[n-1])*0x85EBCA77
	}
	return h ^ h>>15
}
