package report

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// Document is a run's report that renders as a generated Markdown file (docs/e2e*.md).
type Document interface {
	Markdown(io.Writer) error
}

// CheckDoc fails t when the file at path is not rep's rendering, naming the command that rewrites
// it, or rewrites it when update is set: a generated document is reviewed as a diff, never edited.
func CheckDoc(t testing.TB, path string, rep Document, update bool, regenerate string) {
	t.Helper()
	var b bytes.Buffer
	if err := rep.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(old, b.Bytes()) {
		t.Errorf("%s is stale: run `%s` and review the diff", path, regenerate)
	}
}
