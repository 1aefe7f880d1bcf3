package main

import "bytes"

// appendIndented appends compact JSON (as encoding/json's Marshal writes it: no space outside
// strings) indented as json.Indent would, with prefix and two spaces a level. json.Indent runs a
// full JSON state machine over every byte, strings included, and was most of the time of writing a
// report; on input already known to be valid and compact, only the punctuation needs a look, and a
// string is copied up to its closing quote in one go.
func appendIndented(dst, src []byte, prefix string) []byte {
	depth := 0
	open := false // the last byte was { or [: an empty object or array stays {} or []
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			dst = appendLine(dst, prefix, depth)
		}
		switch c {
		case '"':
			end := stringEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = appendLine(dst, prefix, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				dst = appendLine(dst, prefix, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func appendLine(dst []byte, prefix string, depth int) []byte {
	dst = append(dst, '\n')
	dst = append(dst, prefix...)
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

// stringEnd returns the index after the string that starts at src[i] == '"': after the first quote
// not escaped by an odd number of backslashes. Unterminated (never from Marshal), it is len(src).
func stringEnd(src []byte, i int) int {
	for {
		k := bytes.IndexByte(src[i+1:], '"')
		if k < 0 {
			return len(src)
		}
		i += 1 + k
		backslashes := 0
		for j := i - 1; src[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i + 1
		}
	}
}
