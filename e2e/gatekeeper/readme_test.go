package gatekeeper

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestInstallCommands(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "README.md")
	readme := "# x\n\n## Install\n\n```sh\nkubectl apply -f a/   # first\n\nkubectl wait --for=x crd -l y\n```\n\n## Other\n```sh\nkubectl delete -f a/\n```\n"
	if err := os.WriteFile(path, []byte(readme), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := InstallCommands(path)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"apply", "-f", "a/"}, {"wait", "--for=x", "crd", "-l", "y"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestInstallCommandsRefusesOtherTools(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(path, []byte("## Install\n```sh\nhelm install x\n```\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := InstallCommands(path); err == nil || !strings.Contains(err.Error(), "README.md") {
		t.Errorf("err = %v, want one naming the README", err)
	}
}

// The real README must parse: the controller test runs these commands.
func TestInstallCommandsOfTheBundleREADME(t *testing.T) {
	cmds, err := InstallCommands(filepath.Join("..", "..", "gatekeeper", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) < 2 {
		t.Errorf("%d commands: the templates and the kustomization at least", len(cmds))
	}
}
