package cluster

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Version is a Kubernetes minor the API server emulates, with the flags its users would need for
// the bundles: MutatingAdmissionPolicy is beta and off by default before 1.36.
type Version struct {
	Name    string // "1.35"
	Profile string // the model's gate profile for a cluster of this version
	Options Options
}

// Versions are the minors the tests run, lowest first. 1.34 is the lowest --emulated-version a
// v1.37 kube-apiserver accepts (TestLowestEmulatedVersion), but no bundle is for 1.34 (map/README.md:
// its CEL compatibility version, 1.33, lacks the list library the checks use, and a v1.37 binary
// cannot emulate that), so the suite starts at 1.35.
var Versions = []Version{
	{Name: "1.35", Profile: "v1.35", Options: beta("1.35")},
	{Name: "1.36", Profile: "v1.36", Options: Options{EmulatedVersion: "1.36"}},
	{Name: "1.37", Profile: "v1.37", Options: Options{EmulatedVersion: "1.37"}},
}

// beta is what map/overlays/v1beta1 tells 1.35 users to set, plus what a v1.37 binary needs to
// emulate it: its MutatingAdmissionPolicy plugin watches the v1 API only (a real 1.35 server's
// watches v1beta1), and without v1 served its informers never sync, every request is "not yet ready
// to handle request" and the server exits in a post-start hook. Serving v1 too, forward-compatible,
// lets the plugin see what users create through v1beta1 (one resource, two versions); the overlay
// is still applied and read as v1beta1, and CEL still compiles at the emulated version.
func beta(v string) Options {
	return Options{
		EmulatedVersion: v,
		FeatureGates:    []string{"MutatingAdmissionPolicy=true"},
		RuntimeConfig: []string{"admissionregistration.k8s.io/v1beta1=true",
			"admissionregistration.k8s.io/v1/mutatingadmissionpolicies=true",
			"admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings=true"},
		ExtraArgs: []string{forwardCompatible},
	}
}

// forwardCompatible is the flag that lets an emulated server serve APIs of later versions.
const forwardCompatible = "--runtime-config-emulation-forward-compatible=true"

// ServesLaterAPIs is true when the server also serves APIs the emulated version does not have (see
// beta): only bundles meant for this version say anything about it.
func (v Version) ServesLaterAPIs() bool {
	return slices.Contains(v.Options.ExtraArgs, forwardCompatible)
}

// Flags are the command-line flags that make the server this version, for the report.
func (v Version) Flags() []string { return v.Options.Args() }

// VersionNamed returns the Version called name.
func VersionNamed(name string) (Version, bool) {
	for _, v := range Versions {
		if v.Name == name {
			return v, true
		}
	}
	return Version{}, false
}

// WithGates is the server of a gate-override profile such as "v1.37,SELinuxMount=false": the
// profile's version, as Versions makes it, with each override added to --feature-gates.
func WithGates(profile string) (Version, error) {
	parts := strings.Split(profile, ",")
	base, ok := VersionNamed(strings.TrimPrefix(parts[0], "v"))
	if !ok || len(parts) < 2 {
		return Version{}, fmt.Errorf("profile %q: not a version this suite runs with gate overrides", profile)
	}
	for _, g := range parts[1:] {
		if name, value, ok := strings.Cut(g, "="); !ok || name == "" || (value != "true" && value != "false") {
			return Version{}, fmt.Errorf("profile %q: %q is no gate=true|false", profile, g)
		}
	}
	v := base
	v.Name, v.Profile = strings.TrimPrefix(profile, "v"), profile
	v.Options.FeatureGates = append(slices.Clone(base.Options.FeatureGates), parts[1:]...)
	return v, nil
}

// commandFailed is how kube-apiserver logs why it exits at start-up.
var commandFailed = regexp.MustCompile(`"command failed" err="((?:[^"\\]|\\.)*)"`)

// Refusal is the server's own reason in a start-up failure from Start, or the failure's first line.
func Refusal(err error) string {
	if m := commandFailed.FindStringSubmatch(err.Error()); m != nil {
		return strings.ReplaceAll(m[1], `\"`, `"`)
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	return first
}
