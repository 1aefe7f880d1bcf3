package bundles

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Bundle is one kustomization users apply, and the Kubernetes versions its README says it is for.
type Bundle struct {
	Dir    string   // relative to the repository root: "map", "map/overlays/v1beta1"
	Claims []string // minors the README names for it
}

// MapBundles are map/ and its overlays, with map/README.md's claims.
var MapBundles = []Bundle{
	{Dir: "map", Claims: []string{"1.37"}},                       // 1.36+ with SELinuxMount on (the 1.37 default)
	{Dir: "map/overlays/v1.36", Claims: []string{"1.36"}},        // 1.36 with SELinuxMount off
	{Dir: "map/overlays/v1beta1", Claims: []string{"1.35"}},      // MutatingAdmissionPolicy v1beta1
	{Dir: "map/overlays/deny", Claims: []string{"1.37"}},         // builds on map/
	{Dir: "map/overlays/cluster-wide", Claims: []string{"1.37"}}, // builds on map/
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
	Bundle   string    `json:"bundle"`
	Version  string    `json:"version"`
	ExitCode int       `json:"exitCode"`
	Objects  []Outcome `json:"objects"`
	Warnings []string  `json:"warnings,omitempty"` // the server's, e.g. deprecations
	Unread   []string  `json:"unread,omitempty"`
}

// AllAccepted is true when kubectl succeeded and the server accepted every object it reported.
func (a Applied) AllAccepted() bool {
	if a.ExitCode != 0 || len(a.Objects) == 0 || len(a.Unread) > 0 {
		return false
	}
	for _, o := range a.Objects {
		if !o.Accepted {
			return false
		}
	}
	return true
}

// Apply runs `kubectl apply -k <root>/<dir>` as the README does.
func Apply(k Kubectl, root, version string, b Bundle) Applied {
	out, code := k.Run("apply", "-k", filepath.Join(root, b.Dir))
	// Messages name the kustomization's path: keep the checkout's location out of the report.
	objs, warnings, unread := ParseApply(strings.ReplaceAll(out, root+"/", ""))
	return Applied{Bundle: b.Dir, Version: version, ExitCode: code, Objects: objs, Warnings: warnings, Unread: unread}
}

// Remove deletes what the bundle created, so that the next bundle starts from an empty server.
func Remove(k Kubectl, root string, b Bundle) error {
	out, code := k.Run("delete", "-k", filepath.Join(root, b.Dir), "--ignore-not-found", "--wait=true")
	if code != 0 && !onlyUnservedKinds(out) {
		return fmt.Errorf("kubectl delete -k %s: exit %d: %s", b.Dir, code, out)
	}
	return nil
}

// onlyUnservedKinds is true when kubectl delete failed only because some kinds of the bundle are not
// served by this version (nothing of those kinds can exist to delete).
func onlyUnservedKinds(out string) bool {
	unserved := false
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "", strings.HasSuffix(line, " deleted"), strings.HasPrefix(line, "ensure CRDs are installed first"):
		case unknownKind.MatchString(line):
			unserved = true
		default:
			return false
		}
	}
	return unserved
}
