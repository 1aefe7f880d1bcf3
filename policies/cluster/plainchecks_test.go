package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
)

func parsesAsTime(b []byte) bool {
	_, err := time.Parse(time.RFC3339, string(b))
	return err == nil
}

func parsesAsQuantity(b []byte) bool {
	_, err := resource.ParseQuantity(strings.TrimSpace(string(b)))
	return err == nil
}

// Every day of leap and common years, the edges of each field and a step past them: the plain check
// must accept exactly the canonical timestamps time.Parse accepts.
func TestPlainTimestampAgreesWithTimeParse(t *testing.T) {
	accepted := 0
	for _, year := range []int{0, 1, 1900, 1970, 2000, 2023, 2024, 2100, 9999} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				for _, clock := range []string{"00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "08:00:00"} {
					s := fmt.Sprintf("%04d-%02d-%02dT%sZ", year, month, day, clock)
					got, want := isPlainTimestamp([]byte(s)), parsesAsTime([]byte(s))
					if got != want {
						t.Errorf("isPlainTimestamp(%q) = %v, time.Parse accepts: %v", s, got, want)
					}
					if got {
						accepted++
					}
				}
			}
		}
	}
	// Valid in RFC 3339 but not the form a cluster writes: the parser decides them.
	for _, s := range []string{"2026-03-01T08:00:00+01:00", "2026-03-01T08:00:00.5Z", "2026-03-01t08:00:00z", "2026-03-01T08:00:00", "+026-03-01T08:00:00Z", "2026-3-01T08:00:00Z"} {
		if isPlainTimestamp([]byte(s)) {
			t.Errorf("isPlainTimestamp(%q) = true; only the canonical form is plain", s)
		}
	}
	if accepted == 0 {
		t.Fatal("no timestamp was accepted: the table tests nothing")
	}
}

func TestPlainQuantityAgreesWithParseQuantity(t *testing.T) {
	for _, s := range []string{"0", "1", "100m", "512Mi", "128Mi", "2", "1G", "999999999Ei", "999999999E", "7k", "3Ti", "4Pi", "5P", "6T", "1M"} {
		if !isPlainQuantity([]byte(s)) || !parsesAsQuantity([]byte(s)) {
			t.Errorf("%q: plain %v, ParseQuantity accepts %v; want both", s, isPlainQuantity([]byte(s)), parsesAsQuantity([]byte(s)))
		}
	}
	// Refused by the plain check; the parser decides them (some valid, some not).
	for _, s := range []string{"", "01", "1000000000", "1.5", "1e3", "1K", "1mi", "-1", "+1", " 1", "1 ", "Mi", "1Mii"} {
		if isPlainQuantity([]byte(s)) {
			t.Errorf("isPlainQuantity(%q) = true", s)
		}
	}
}

// Whatever the plain checks accept, the parsers must accept.
func FuzzPlainChecks(f *testing.F) {
	for _, s := range []string{"2026-03-01T08:00:00Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "512Mi", "100m", "0", "999999999Ei"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if isPlainTimestamp(b) && !parsesAsTime(b) {
			t.Errorf("isPlainTimestamp(%q) = true, time.Parse refuses it", b)
		}
		if isPlainQuantity(b) && !parsesAsQuantity(b) {
			t.Errorf("isPlainQuantity(%q) = true, resource.ParseQuantity refuses it", b)
		}
	})
}
