package cluster

// fieldTable finds a struct field by its JSON key for the fast path. Key lookups were the largest
// single cost of decoding a dump: a Go map hashes every byte of every key, and a key missing from
// the map (a case-folded one) cost a walk over every field. This table hashes a key's length and
// three of its bytes, folded to lower case, so that the exact name and its case-folded spellings
// meet in one short probe sequence. Keys are ASCII here: the scanner marks any other key not
// simple, and the fast path gives up on those before looking them up.
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
		h := foldHash(name)
		for t.slots[h&t.mask].used {
			h++
		}
		t.slots[h&t.mask] = fieldSlot[T]{used: true, name: name, val: v}
	}
	return t
}

// exact finds the field named key exactly.
func (t *fieldTable[T]) exact(key []byte) (T, bool) {
	if len(t.slots) == 0 {
		var zero T
		return zero, false // not a struct's table
	}
	for h := foldHash(key); ; h++ {
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

// lookup finds the field as encoding/json matches keys: the exact name first, else a name equal to
// key under case folding.
func (t *fieldTable[T]) lookup(key []byte) (T, bool) {
	var folded *fieldSlot[T]
	for h := foldHash(key); len(t.slots) > 0; h++ {
		s := &t.slots[h&t.mask]
		if !s.used {
			break
		}
		if s.name == string(key) {
			return s.val, true
		}
		if folded == nil && equalFoldBothASCII(key, s.name) {
			folded = s
		}
	}
	if folded == nil {
		var zero T
		return zero, false
	}
	return folded.val, true
}

// foldHash hashes a key's length and its first, middle and last bytes in lower case.
func foldHash[S ~string | ~[]byte](key S) uint32 {
	n := len(key)
	h := uint32(n) * 2654435761
	if n > 0 {
		h ^= uint32(lowerASCII(key[0]))*0x01000193 + uint32(lowerASCII(key[n/2]))*0x9E3779B1 + uint32(lowerASCII(key[n-1]))*0x85EBCA77
	}
	return h ^ h>>15
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func equalFoldBothASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if lowerASCII(b[i]) != lowerASCII(s[i]) {
			return false
		}
	}
	return true
}
