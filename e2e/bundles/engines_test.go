package bundles

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSplitYAML(t *testing.T) {
	docs := SplitYAML([]byte("# header\n---\na: 1\n---   \n# only a comment\n---\nb: 2\n"))
	if want := [][]byte{[]byte("a: 1\n"), []byte("b: 2\n")}; !reflect.DeepEqual(docs, want) {
		t.Errorf("got %q", docs)
	}
}

// A release's manifest yields its CRDs (and the kinds asked for), nothing of the Deployments.
func TestManifestKeepsOnlyTheKindsAsked(t *testing.T) {
	rel := EngineRelease{Version: "v0", Dir: t.TempDir()}
	release := `apiVersion: v1
kind: Namespace
metadata: {name: engine-system}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: controller}
`
	if err := os.MkdirAll(filepath.Join(rel.Dir, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rel.Dir, "deploy", "release.yaml"), []byte(release), 0o644); err != nil {
		t.Fatal(err)
	}
	e := Engine{Name: "engine", Files: []string{"deploy"}, Kinds: []string{"CustomResourceDefinition", "Namespace"}}
	path, crds, err := e.Manifest(rel, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(crds, []string{"things.example.com"}) {
		t.Errorf("crds = %q", crds)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "Deployment") || !strings.Contains(string(data), "engine-system") {
		t.Errorf("manifest:\n%s", data)
	}
	e.Kinds = []string{"Namespace"}
	if _, _, err := e.Manifest(rel, t.TempDir()); err == nil {
		t.Error("a release without CRDs: want an error")
	}
}

func TestExpectedRefusal(t *testing.T) {
	gk := Bundle{Dir: "gatekeeper", Engine: "gatekeeper"}
	constraint := Outcome{Object: "SelmountLabelConflict/selmount-selinux-001", Reason: "kind SelmountLabelConflict is not served in constraints.gatekeeper.sh/v1beta1"}
	if expectedRefusal(gk, constraint) == "" {
		t.Error("a Gatekeeper constraint without its controller-made CRD is an expected refusal")
	}
	if expectedRefusal(Bundle{Dir: "map"}, constraint) != "" {
		t.Error("only Gatekeeper bundles expect it")
	}
	other := Outcome{Object: "Config/config", Reason: "kind Config is not served in config.gatekeeper.sh/v1alpha1"}
	if expectedRefusal(gk, other) != "" {
		t.Error("any other refusal is a finding")
	}
	a := Applied{ExitCode: 1, Objects: []Outcome{{Object: "a", Accepted: true}, {Object: constraint.Object, Expected: "x"}}}
	if !a.AllAccepted() {
		t.Error("accepted but for expected refusals: want accepted")
	}
}
