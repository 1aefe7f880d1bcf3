package cluster

import (
	"encoding/json"
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// decodeValue reads a timestamp itself (decodeTime) where it is a plain string: it must give what
// encoding/json and metav1.Time.UnmarshalJSON give, value and error alike.
func TestDecodeTimeMatchesUnmarshalJSON(t *testing.T) {
	ti := infoOf(reflect.TypeFor[metav1.Time]())
	for _, js := range []string{
		`"2025-03-01T12:00:00Z"`, `"2025-03-01T13:00:00+01:00"`, `"2025-03-01T12:00:00.5Z"`, `null`, `""`,
		`"yesterday"`, `"2025-03-01t12:00:00z"`, `"2025-02-30T12:00:00Z"`, `"\u0032025-03-01T12:00:00Z"`, `17`, `"2025-03-01T12:00:00Z`,
	} {
		var want metav1.Time
		wantErr := json.Unmarshal([]byte(js), &want)
		var got metav1.Time
		end := decodeValue([]byte(js), 0, reflect.ValueOf(&got).Elem(), ti, 0)
		if (wantErr != nil) != (end < 0) || (wantErr == nil && end != len(js)) {
			t.Errorf("%s: decodeValue ended at %d, encoding/json's error: %v", js, end, wantErr)
		}
		if wantErr == nil && !reflect.DeepEqual(want, got) {
			t.Errorf("%s: decodeValue gave %v, encoding/json %v", js, got, want)
		}
	}
}
