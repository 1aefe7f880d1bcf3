package kyverno

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadmeCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	doc := "# x\n\n```sh\nkubectl apply -k kyverno/   # report only\n\nkubectl wait x --for=jsonpath='{.a}'=true\nkubectl label namespace shop a=b\n```\n\n```sh\nmake x\n```\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadmeCommands(path)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"apply", "-k", "kyverno/"}, {"wait", "x", "--for=jsonpath={.a}=true"}, {"label", "namespace", "shop", "a=b"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadmeCommands = %q, want %q", got, want)
	}
	if err := os.WriteFile(path, []byte("```sh\nhelm install x\n```\n"), 0o644); err == nil {
		if _, err := ReadmeCommands(path); err == nil {
			t.Fatal("a non-kubectl command was accepted")
		}
	}
}
