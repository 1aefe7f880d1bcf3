package cluster

import (
	"strings"
	"testing"
)

// On valid JSON, itemEnd must end an object where a full scan does; escaped quotes and brackets
// inside strings must not move it.
func TestItemEndMatchesSkipValueOnValidJSON(t *testing.T) {
	for _, js := range []string{
		`{}`,
		`{"a":"}"}`,
		`{"a":"\"}","b":[1,{"c":"\\"}],"d":"\\\""}`,
		`{"a":{"b":{"c":[[],[{}]]}},"e":"[{"}`,
		`{"kind":"Pod","metadata":{"name":"x\\\\"}}`,
	} {
		d := []byte(js + `, {"next":1}]`)
		if got, want := itemEnd(d, 0, 2), skipValue(d, 0, 2); got != want || want != len(js) {
			t.Errorf("itemEnd(%s) = %d, skipValue %d, want %d", js, got, want, len(js))
		}
	}
}

func TestItemEndGivesUpWhereTheOldPassDid(t *testing.T) {
	for _, tc := range []struct{ name, js string }{
		{"unterminated string", `{"a":"b}`},
		{"unclosed object", `{"a":{"b":1}`},
		{"too deep", strings.Repeat("[", maxScanDepth) + strings.Repeat("]", maxScanDepth)},
		{"too deep object", "{\"a\":" + strings.Repeat("[", maxScanDepth) + strings.Repeat("]", maxScanDepth) + "}"},
	} {
		if got := itemEnd([]byte(tc.js), 0, 2); got >= 0 {
			t.Errorf("%s: itemEnd = %d, want -1", tc.name, got)
		}
	}
	// Not an object: the full scan's answer.
	if got := itemEnd([]byte(`"str", 1]`), 0, 2); got != 5 {
		t.Errorf("itemEnd of a string = %d, want 5", got)
	}
}
