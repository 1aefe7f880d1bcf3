package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

var indentSeeds = []string{
	`{}`, `[]`, `{"a":[]}`, `{"a":{},"b":[{}]}`, `[1,"two",null,true,false,-1.5e3]`,
	`{"msg":"a \"quoted\" word, a \\ backslash\\\\","k":"x:y,{z}[w]"}`,
	`{"nested":{"deeper":{"deepest":[[[]],[1]]}}}`, `"just a string"`, `12`, `"\\"`, `"ends with \\\\"`,
	`{"unicode":"é ☃ \u2028"}`,
}

// appendIndented must write the bytes json.Indent writes, at both levels renderGroupedJSON uses.
func TestAppendIndentedAgreesWithJSONIndent(t *testing.T) {
	for _, s := range indentSeeds {
		for _, prefix := range []string{"", "  ", "    "} {
			checkIndent(t, []byte(s), prefix)
		}
	}
}

func FuzzAppendIndented(f *testing.F) {
	for _, s := range indentSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, b); err != nil {
			t.Fatalf("Compact of valid JSON: %v", err)
		}
		checkIndent(t, compact.Bytes(), "    ")
	})
}

func checkIndent(t *testing.T, compact []byte, prefix string) {
	t.Helper()
	var want bytes.Buffer
	if err := json.Indent(&want, compact, prefix, "  "); err != nil {
		t.Fatalf("json.Indent(%s): %v", compact, err)
	}
	if got := appendIndented(nil, compact, prefix); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("appendIndented(%s, %q):\n%s\njson.Indent:\n%s", compact, prefix, got, want.Bytes())
	}
}
