package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// printable escapes what a terminal or CI log would interpret instead of showing: control
// characters (a newline in a name forges an output line, an escape sequence recolours or hides
// text), invisible format characters such as right-to-left overrides, and invalid UTF-8. Names and
// volume handles come from input an attacker may write, and reach text output and stderr verbatim
// otherwise. Everything else, non-ASCII letters included, stays as written.
func printable(s string) string {
	if isPrintable(s) {
		return s // the common case allocates nothing
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case needsEscape(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func isPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			// Non-ASCII needs the rune check below; ASCII controls always need escaping.
			if c < 0x80 {
				return false
			}
			for _, r := range s[i:] {
				if r == utf8.RuneError || needsEscape(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

func needsEscape(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
