package report

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

type text string

func (s text) Markdown(w io.Writer) error {
	_, err := io.WriteString(w, string(s))
	return err
}

// recorder keeps what CheckDoc reports instead of failing the test that calls it.
type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.errors++ }
func (r *recorder) Fatal(args ...any)     { r.TB.Fatal(args...) }

func TestCheckDocFailsWhenStaleAndRewrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	r := &recorder{TB: t}
	CheckDoc(r, path, text("one"), false, "make x")
	if r.errors != 1 {
		t.Fatalf("a missing document: %d errors, want 1", r.errors)
	}
	CheckDoc(r, path, text("one"), true, "make x")
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Fatalf("rewritten as %q", b)
	}
	CheckDoc(r, path, text("one"), false, "make x")
	CheckDoc(r, path, text("two"), false, "make x")
	if r.errors != 2 {
		t.Fatalf("current then stale: %d errors in all, want 2", r.errors)
	}
}
