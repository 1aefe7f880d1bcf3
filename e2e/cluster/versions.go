package cluster

// Version is a Kubernetes minor the API server emulates, with the flags its users would need for
// the bundles: MutatingAdmissionPolicy is beta and off by default before 1.36.
type Version struct {
	Name    string // "1.35"
	Profile string // the model's gate profile for a cluster of this version
	Options Options
}

// Versions are the minors the tests run, lowest first. 1.34 is the lowest --emulated-version a
// v1.37 kube-apiserver accepts (binary minor − 3); TestLowestEmulatedVersion checks that 1.33 is refused.
var Versions = []Version{
	{Name: "1.34", Profile: "v1.35", Options: beta("1.34")},
	{Name: "1.35", Profile: "v1.35", Options: beta("1.35")},
	{Name: "1.36", Profile: "v1.36", Options: Options{EmulatedVersion: "1.36"}},
	{Name: "1.37", Profile: "v1.37", Options: Options{EmulatedVersion: "1.37"}},
}

// beta is what map/overlays/v1beta1 tells 1.34 and 1.35 users to set.
func beta(v string) Options {
	return Options{
		EmulatedVersion: v,
		FeatureGates:    []string{"MutatingAdmissionPolicy=true"},
		RuntimeConfig:   []string{"admissionregistration.k8s.io/v1beta1=true"},
	}
}

// VersionNamed returns the Version called name.
func VersionNamed(name string) (Version, bool) {
	for _, v := range Versions {
		if v.Name == name {
			return v, true
		}
	}
	return Version{}, false
}
