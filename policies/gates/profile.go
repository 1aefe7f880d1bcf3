// Package gates models the three SELinux feature gates of the Kubernetes releases selmount audits.
package gates

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Gate names as the kubelet and kube-apiserver spell them.
const (
	ReadWriteOncePod = "SELinuxMountReadWriteOncePod"
	ChangePolicy     = "SELinuxChangePolicy"
	Mount            = "SELinuxMount"
)

// DefaultProfile is the release the mission audits for: SELinuxMount turns on in v1.37.
const DefaultProfile = "v1.37"

// Profile is one cluster's gate settings.
type Profile struct {
	Name  string
	RWOP  bool
	CP    bool
	Mount bool
}

// locked lists, per release, the gates that release has locked to their default (GA with
// LockToDefault in Kubernetes v1.37.2 pkg/features/kube_features.go): components refuse to start with
// them set otherwise, so such a profile is no cluster at all.
var locked = map[string][]string{
	"v1.36": {ReadWriteOncePod, ChangePolicy},
	"v1.37": {ReadWriteOncePod, ChangePolicy},
}

var releases = map[string]Profile{
	"v1.35": {Name: "v1.35", RWOP: true, CP: true},
	"v1.36": {Name: "v1.36", RWOP: true, CP: true},
	"v1.37": {Name: "v1.37", RWOP: true, CP: true, Mount: true},
}

// Names lists the known release profiles, oldest first.
func Names() []string {
	out := make([]string, 0, len(releases))
	for n := range releases {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Parse reads "v1.36" or "v1.36,SELinuxMount=true,SELinuxChangePolicy=false". An empty string is the default.
func Parse(spec string) (Profile, error) {
	parts := strings.Split(strings.TrimSpace(spec), ",")
	name := strings.TrimSpace(parts[0])
	if name == "" {
		name = DefaultProfile
	}
	p, ok := releases[name]
	if !ok {
		return Profile{}, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	overrides := map[string]bool{}
	for _, kv := range parts[1:] {
		k, v, found := strings.Cut(strings.TrimSpace(kv), "=")
		if !found {
			return Profile{}, fmt.Errorf("gate override %q is not NAME=true|false", kv)
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Profile{}, fmt.Errorf("gate override %q: %v", kv, err)
		}
		overrides[k] = b
	}
	return p.With(overrides)
}

// With returns the profile with individual gates overridden. Setting a gate its release has locked to
// a value other than the locked one is an error, as it is for kube-apiserver and the kubelet.
func (p Profile) With(overrides map[string]bool) (Profile, error) {
	release := p.Name
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := overrides[k]
		if slices.Contains(locked[release], k) && v != releases[release].gate(k) {
			return Profile{}, fmt.Errorf("feature gate %s is locked to %t in %s: no component starts with %s=%t", k, releases[release].gate(k), release, k, v)
		}
		switch k {
		case ReadWriteOncePod:
			p.RWOP = v
		case ChangePolicy:
			p.CP = v
		case Mount:
			p.Mount = v
		default:
			return Profile{}, fmt.Errorf("unknown feature gate %q (known: %s, %s, %s)", k, ReadWriteOncePod, ChangePolicy, Mount)
		}
		p.Name += fmt.Sprintf(",%s=%t", k, v)
	}
	return p, nil
}

func (p Profile) gate(name string) bool {
	switch name {
	case ReadWriteOncePod:
		return p.RWOP
	case ChangePolicy:
		return p.CP
	}
	return p.Mount
}

// ControllerRuns tells whether kube-controller-manager starts the selinux-warning-controller: only
// with the ChangePolicy gate on (cmd/kube-controller-manager requiredFeatureGates). With it off, the
// API server also drops seLinuxChangePolicy from what it stores (spec Decision 1).
func (p Profile) ControllerRuns() bool { return p.CP }

// StoresChangePolicy tells whether the API server keeps a Pod's seLinuxChangePolicy when it stores
// the Pod: with the ChangePolicy gate off it drops the field, after every mutating admission has
// run, unless the old object already had one (pkg/api/pod dropDisabledFields). Admission still sees
// the value, so this is only about what a later read returns.
func (p Profile) StoresChangePolicy(oldHasPolicy bool) bool {
	return p.CP || oldHasPolicy
}

// AcceptsOnlyRecursive tells whether the API server rejects seLinuxChangePolicy: MountOption on create
// (spec A11: the Mount gate is off and there is no old object with a policy).
func (p Profile) AcceptsOnlyRecursive(oldHasPolicy bool) bool {
	return !p.Mount && !oldHasPolicy
}
