package bundles

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// Bundle is one kustomization users apply, and the Kubernetes versions its README says it is for.
type Bundle struct {
	Dir    string   // relative to the repository root: "map", "map/overlays/v1beta1"
	Claims []string // minors the README names for it
	// First is a folder the README applies with `kubectl apply -f` before the kustomization
	// (gatekeeper/base/templates/: a constraint's kind exists only once its template does).
	First string
	// Engine names the Engine whose CRDs the bundle needs; empty for map/.
	Engine string
}

// MapBundles are map/ and its overlays, with map/README.md's claims.
var MapBundles = []Bundle{
	{Dir: "map", Claims: []string{"1.37"}},                       // 1.36+ with SELinuxMount on (the 1.37 default)
	{Dir: "map/overlays/v1.36", Claims: []string{"1.36"}},        // 1.36 with SELinuxMount off
	{Dir: "map/overlays/v1beta1", Claims: []string{"1.35"}},      // MutatingAdmissionPolicy v1beta1
	{Dir: "map/overlays/deny", Claims: []string{"1.37"}},         // builds on map/
	{Dir: "map/overlays/cluster-wide", Claims: []string{"1.37"}}, // builds on map/
}

// EngineBundles are gatekeeper/ and kyverno/ with their overlays and their READMEs' claims.
var EngineBundles = []Bundle{
	// gatekeeper/README.md: "Kubernetes 1.37 (SELinuxMount on)"; the templates first.
	{Dir: "gatekeeper", Claims: []string{"1.37"}, First: gatekeeperTemplates, Engine: "gatekeeper"},
	{Dir: "gatekeeper/overlays/deny", Claims: []string{"1.37"}, First: gatekeeperTemplates, Engine: "gatekeeper"},
	{Dir: "gatekeeper/overlays/v1.36", Claims: []string{"1.36"}, First: gatekeeperTemplates, Engine: "gatekeeper"},
	// kyverno/README.md: kyverno/ and enforce for 1.37, v1.36 for "1.35 / 1.36, or 1.37 with SELinuxMount turned off".
	{Dir: "kyverno", Claims: []string{"1.37"}, Engine: "kyverno"},
	{Dir: "kyverno/overlays/enforce", Claims: []string{"1.37"}, Engine: "kyverno"},
	{Dir: "kyverno/overlays/v1.36", Claims: []string{"1.35", "1.36", "1.37"}, Engine: "kyverno"},
}

const gatekeeperTemplates = "gatekeeper/base/templates/"

// ConstraintsNeedController is why the server refuses selmount's Gatekeeper constraints here: a
// constraint's kind is a CRD that Gatekeeper's template controller creates from the ConstraintTemplate
// (constraints.gatekeeper.sh/v1beta1, kind Selmount*), and no controller runs (issue 14).
const ConstraintsNeedController = "expected: only Gatekeeper's template controller creates a constraint's CRD from its ConstraintTemplate, and no controller runs here (issue 14)"

// expectedRefusal returns why a refusal is what this server must answer, or "".
func expectedRefusal(b Bundle, o Outcome) string {
	if b.Engine == "gatekeeper" && strings.HasPrefix(o.Object, "Selmount") &&
		strings.HasSuffix(o.Reason, " is not served in constraints.gatekeeper.sh/v1beta1") {
		return ConstraintsNeedController
	}
	return ""
}

// Claimed reports whether the bundle's README names version.
func (b Bundle) Claimed(version string) bool {
	for _, c := range b.Claims {
		if c == version {
			return true
		}
	}
	return false
}

// Applied is what one `kubectl apply -k` did.
type Applied struct {
	Bundle string `json:"bundle"` // the kustomization, or "-f <folder>" for a bundle's First

	Version  string    `json:"version"`
	ExitCode int       `json:"exitCode"`
	Objects  []Outcome `json:"objects"`
	Warnings []string  `json:"warnings,omitempty"` // the server's, e.g. deprecations
	Unread   []string  `json:"unread,omitempty"`
}

// AllAccepted is true when the server accepted every object kubectl reported, except refusals that
// are expected (then kubectl exits 1), and kubectl said nothing else.
func (a Applied) AllAccepted() bool {
	if len(a.Objects) == 0 || len(a.Unread) > 0 {
		return false
	}
	expected := false
	for _, o := range a.Objects {
		if !o.Accepted {
			if o.Expected == "" {
				return false
			}
			expected = true
		}
	}
	return a.ExitCode == 0 || expected
}

// Apply runs what the README says: `kubectl apply -f <root>/<first>` when the bundle has a First,
// then `kubectl apply -k <root>/<dir>`; one Applied per command.
func Apply(k Kubectl, root, version string, b Bundle) []Applied {
	var all []Applied
	if b.First != "" {
		all = append(all, run(k, root, version, b, "-f", b.First))
	}
	return append(all, run(k, root, version, b, "-k", b.Dir))
}

func run(k Kubectl, root, version string, b Bundle, flag, dir string) Applied {
	out, code := k.Run("apply", flag, filepath.Join(root, dir))
	// Messages name the kustomization's path: keep the checkout's location out of the report.
	objs, warnings, unread := ParseApply(strings.ReplaceAll(out, root+"/", ""))
	for i := range objs {
		if !objs[i].Accepted {
			objs[i].Expected = expectedRefusal(b, objs[i])
		}
	}
	name := dir
	if flag == "-f" {
		name = "-f " + dir
	}
	return Applied{Bundle: name, Version: version, ExitCode: code, Objects: objs, Warnings: warnings, Unread: unread}
}

// Remove deletes what the bundle created, so that the next bundle starts from an empty server.
func Remove(k Kubectl, root string, b Bundle) error {
	out, code := k.Run("delete", "-k", filepath.Join(root, b.Dir), "--ignore-not-found", "--wait=true")
	if code != 0 && !onlyUnservedKinds(out) {
		return fmt.Errorf("kubectl delete -k %s: exit %d: %s", b.Dir, code, out)
	}
	return nil
}

// kubectl delete prints `<resource> "<name>" deleted`, with ` from <ns> namespace` for a namespaced one.
var deletedLine = regexp.MustCompile(`^\S+ "[^"]+" deleted(?: from \S+ namespace)?$`)

// onlyUnservedKinds is true when kubectl delete failed only because some kinds of the bundle are not
// served by this version (nothing of those kinds can exist to delete).
func onlyUnservedKinds(out string) bool {
	unserved := false
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "", deletedLine.MatchString(line), strings.HasPrefix(line, "ensure CRDs are installed first"):
		case unknownKind.MatchString(line):
			unserved = true
		default:
			return false
		}
	}
	return unserved
}
