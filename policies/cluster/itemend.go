package cluster

import "bytes"

// itemEnd finds where the List item at d[i] ends, for the first pass that splits a dump into items.
// An object is matched bracket by bracket outside strings, its strings skipped by IndexByte,
// without checking the grammar in between: checking it here and again when decoding was a fifth of
// the decoder's time. That is safe because decodeSpan parses every item in full and gives up unless
// the parse ends exactly at this end, and JSON values end where their parse ends. Anything but an
// object goes to skipValue, and so does nesting the old first pass refused (maxScanDepth).
func itemEnd(d []byte, i, depth int) int {
	if i >= len(d) || d[i] != '{' {
		return skipValue(d, i, depth)
	}
	open := 0
	for ; i < len(d); i++ {
		switch d[i] {
		case '"':
			if i = closingQuote(d, i); i < 0 {
				return -1
			}
		case '{', '[':
			if open++; depth+open > maxScanDepth {
				return -1
			}
		case '}', ']':
			if open--; open == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// closingQuote returns the index of the quote closing the string at d[i] == '"': the first quote
// not escaped by an odd number of backslashes.
func closingQuote(d []byte, i int) int {
	for {
		k := bytes.IndexByte(d[i+1:], '"')
		if k < 0 {
			return -1
		}
		i += 1 + k
		backslashes := 0
		for j := i - 1; d[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i
		}
	}
}
