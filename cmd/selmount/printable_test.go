package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"web-1":               "web-1",
		"équipe/données":      "équipe/données",
		"a\nb":                `a\nb`,
		"x\x1b[31mred":        `x\x1b[31mred`,
		"tab\there\r":         `tab\there\r`,
		"evil\u202egnp.yaml":  `evil\u202egnp.yaml`,
		"bad\xffutf8":         `bad\xffutf8`,
		"del\x7f":             `del\x7f`,
		"ümlaut\x00":          `ümlaut\x00`,
		"line\u2028separator": `line\u2028separator`,
	} {
		assert.Equal(t, want, printable(in), "%q", in)
	}
}
