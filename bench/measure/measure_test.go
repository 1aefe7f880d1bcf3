//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidRunAndYAML(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "list.json")
	if err := os.WriteFile(in, []byte(`{"apiVersion":"v1","items":[{"kind":"Pod","metadata":{"name":"a"}},{"kind":"Pod","metadata":{"name":"b"}}],"kind":"List"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"valid", in}, &out, &errOut); code != 0 {
		t.Fatalf("valid: exit %d: %s", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"run", "sh", "-c", "exit 1"}, &out, &errOut); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut.String())
	}
	if f := strings.Fields(out.String()); len(f) != 5 || f[4] != "1" {
		t.Fatalf("run printed %q, want 5 fields ending in the exit code 1", out.String())
	}
	yml := filepath.Join(dir, "list.yaml")
	if code := run([]string{"yaml", in, yml}, &out, &errOut); code != 0 {
		t.Fatalf("yaml: exit %d: %s", code, errOut.String())
	}
	got, _ := os.ReadFile(yml)
	if want := "---\nkind: Pod\nmetadata:\n  name: a\n---\nkind: Pod\nmetadata:\n  name: b\n"; string(got) != want {
		t.Fatalf("yaml wrote\n%s\nwant\n%s", got, want)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"nope"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
}
