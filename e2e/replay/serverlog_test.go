package replay

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestWhyReplacedReadsTheLoggedReason(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kube-apiserver.log")
	before := "I1203 01:00:00.000000       1 other.go:1] \"excessively long message denied\" message=\"old\"\n"
	line := "I1203 01:00:01.000000       1 validator.go:185] \"excessively long message denied\" message=\"SELINUX-003: volume \\\"data\\\" x\"\n"
	if err := os.WriteFile(path, []byte(before+line+"I1203 unrelated\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := whyReplaced(path, int64(len(before)))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`the server logged "excessively long message denied" for a 28-byte message starting "SELINUX-003: volume \"data\" x"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
