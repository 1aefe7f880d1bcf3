package cluster

import "encoding/binary"

// A small JSON scanner for the scan fast path (fast.go). It accepts exactly the JSON grammar
// unmarshal accepts, or less: every function returns -1 for anything it does not accept, and
// the fast path then hands the whole file to Decode, whose error message is the one users see. It
// never reports an error itself, so it cannot word one differently.

// maxScanDepth bounds nesting. unmarshal allows 10,000 levels; deeper input is handed to Decode
// rather than recursed into here, so this recursion stays shallow whatever the input.
const maxScanDepth = 1000

func skipWS(d []byte, i int) int {
	for i < len(d) {
		switch d[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString scans the string starting at d[i] == '"' and returns the index after its closing
// quote. simple reports that the bytes between the quotes are the string itself: no escapes and
// ASCII only, since unmarshal replaces invalid UTF-8 and this scanner does not check it.
func scanString(d []byte, i int) (end int, simple bool) {
	simple = true
	for i++; ; {
		i = skipPlain(d, i)
		if i >= len(d) {
			return -1, false
		}
		c := d[i]
		switch {
		case c == '"':
			return i + 1, simple
		case c == '\\':
			simple = false
			if i+1 >= len(d) {
				return -1, false
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d) {
					return -1, false
				}
				for k := i + 2; k < i+6; k++ {
					if !isHex(d[k]) {
						return -1, false
					}
				}
				i += 6
			default:
				return -1, false
			}
		case c < 0x20:
			return -1, false
		case c >= 0x80:
			simple = false
			i++
		default:
			i++
		}
	}
}

// skipPlain skips the bytes of a string that need no look, eight at a time: strings are most of a
// dump's bytes, and a byte at a time was a quarter of the decoder's time. It stops at or before the
// first quote, backslash, control or non-ASCII byte.
func skipPlain(d []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(d) {
		w := binary.LittleEndian.Uint64(d[i:])
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		// A byte below 0x20, a zero byte in quote or backslash, or a high bit, sets a high bit here
		// (the usual has-zero-byte test, which never misses one).
		special := (w-ones*0x20)&^w | (quote-ones)&^quote | (backslash-ones)&^backslash | w
		if special&highs != 0 {
			return i
		}
		i += 8
	}
	return i
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber scans a number as RFC 8259 writes it: no leading '+', no leading zeros, digits on both
// sides of '.', digits after the exponent.
func scanNumber(d []byte, i int) int {
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i >= len(d):
		return -1
	case d[i] == '0':
		i++
	case '1' <= d[i] && d[i] <= '9':
		for i++; i < len(d) && isDigit(d[i]); i++ {
		}
	default:
		return -1
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return -1
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return -1
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	return i
}

func scanLiteral(d []byte, i int, lit string) int {
	if len(d)-i < len(lit) || string(d[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

func isNull(d []byte, i int) bool { return scanLiteral(d, i, "null") > 0 }

// skipValue scans any value starting at d[i] and returns the index after it.
func skipValue(d []byte, i, depth int) int {
	if i >= len(d) {
		return -1
	}
	switch c := d[i]; {
	case c == '"':
		end, _ := scanString(d, i)
		return end
	case c == '{':
		return eachMember(d, i, depth, func(_ []byte, _ bool, v int) int { return skipValue(d, v, depth+1) })
	case c == '[':
		return eachElement(d, i, depth, func(v int) int { return skipValue(d, v, depth+1) })
	case c == 't':
		return scanLiteral(d, i, "true")
	case c == 'f':
		return scanLiteral(d, i, "false")
	case c == 'n':
		return scanLiteral(d, i, "null")
	case c == '-' || isDigit(c):
		return scanNumber(d, i)
	}
	return -1
}

// eachMember walks the object at d[i] == '{', calling member with each key (without quotes; simple
// as scanString says) and the index of its value; member returns the index after the value, or -1.
func eachMember(d []byte, i, depth int, member func(key []byte, simple bool, v int) int) int {
	if i >= len(d) || d[i] != '{' || depth >= maxScanDepth {
		return -1
	}
	i = skipWS(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return -1
		}
		end, simple := scanString(d, i)
		if end < 0 {
			return -1
		}
		key := d[i+1 : end-1]
		i = skipWS(d, end)
		if i >= len(d) || d[i] != ':' {
			return -1
		}
		if i = member(key, simple, skipWS(d, i+1)); i < 0 {
			return -1
		}
		i = skipWS(d, i)
		if i >= len(d) {
			return -1
		}
		switch d[i] {
		case '}':
			return i + 1
		case ',':
			i = skipWS(d, i+1)
		default:
			return -1
		}
	}
}

// eachElement walks the array at d[i] == '[', calling element with the index of each value.
func eachElement(d []byte, i, depth int, element func(v int) int) int {
	if i >= len(d) || d[i] != '[' || depth >= maxScanDepth {
		return -1
	}
	i = skipWS(d, i+1)
	if i < len(d) && d[i] == ']' {
		return i + 1
	}
	for {
		if i = element(i); i < 0 {
			return -1
		}
		i = skipWS(d, i)
		if i >= len(d) {
			return -1
		}
		switch d[i] {
		case ']':
			return i + 1
		case ',':
			i = skipWS(d, i+1)
		default:
			return -1
		}
	}
}
