package cluster

import (
	"bytes"
	"testing"
)

// skipPlain may stop early but must never step over a byte scanString has to look at: every byte
// value, at every place in a run of plain bytes.
func TestSkipPlainStopsAtEverySpecialByte(t *testing.T) {
	for b := 0; b < 256; b++ {
		c := byte(b)
		needsLook := c == '"' || c == '\\' || c < 0x20 || c >= 0x80
		for at := 0; at < 24; at++ {
			d := bytes.Repeat([]byte{'a'}, 24)
			d[at] = c
			got := skipPlain(d, 0)
			switch {
			case needsLook && got > at:
				t.Fatalf("byte %#x at %d: skipPlain stepped over it to %d", c, at, got)
			case !needsLook && got != 24:
				t.Fatalf("byte %#x at %d: skipPlain stopped at %d in plain bytes", c, at, got)
			}
		}
	}
}

func TestScanStringSimpleAndEnd(t *testing.T) {
	for _, tc := range []struct {
		in     string
		end    int
		simple bool
	}{
		{`"abcdefghijklmnopqrstuvwxyz" tail`, 28, true},
		{`"abcdefgh\"ijklmnop" tail`, 20, false},
		{`"abcdefghijé" tail`, 14, false},
		{"\"abcdefghij\nkl\"", -1, false},
		{`"abcdefghijklmnop`, -1, false},
		{`"abcdefghijklmno\u00e9pq"`, 25, false},
	} {
		end, simple := scanString([]byte(tc.in), 0)
		if end != tc.end || (end > 0 && simple != tc.simple) {
			t.Errorf("scanString(%q) = %d, %v; want %d, %v", tc.in, end, simple, tc.end, tc.simple)
		}
	}
}
