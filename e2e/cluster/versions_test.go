package cluster

import (
	"errors"
	"reflect"
	"testing"
)

func TestVersionFlags(t *testing.T) {
	v37, _ := VersionNamed("1.37")
	if got := v37.Flags(); !reflect.DeepEqual(got, []string{"--emulated-version=1.37"}) {
		t.Errorf("1.37 flags %q", got)
	}
	if v37.ServesLaterAPIs() {
		t.Error("1.37 serves only its own APIs")
	}
	v35, _ := VersionNamed("1.35")
	want := []string{"--emulated-version=1.35", "--feature-gates=MutatingAdmissionPolicy=true",
		"--runtime-config=admissionregistration.k8s.io/v1beta1=true,admissionregistration.k8s.io/v1/mutatingadmissionpolicies=true,admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings=true",
		forwardCompatible}
	if got := v35.Flags(); !reflect.DeepEqual(got, want) {
		t.Errorf("1.35 flags %q, want %q", got, want)
	}
	if _, ok := VersionNamed("1.34"); ok {
		t.Error("no bundle is for 1.34: the suite must not claim to test it")
	}
	if !v35.ServesLaterAPIs() {
		t.Error("1.35 is emulated with MutatingAdmissionPolicy v1 served")
	}
}

func TestWithGates(t *testing.T) {
	v, err := WithGates("v1.35,SELinuxMount=true,SELinuxMountReadWriteOncePod=false")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--emulated-version=1.35",
		"--feature-gates=MutatingAdmissionPolicy=true,SELinuxMount=true,SELinuxMountReadWriteOncePod=false",
		"--runtime-config=admissionregistration.k8s.io/v1beta1=true,admissionregistration.k8s.io/v1/mutatingadmissionpolicies=true,admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings=true",
		forwardCompatible}
	if got := v.Flags(); !reflect.DeepEqual(got, want) || v.Name != "1.35,SELinuxMount=true,SELinuxMountReadWriteOncePod=false" {
		t.Errorf("%s: flags %q, want %q", v.Name, got, want)
	}
	if base, _ := VersionNamed("1.35"); len(base.Options.FeatureGates) != 1 {
		t.Errorf("WithGates changed the 1.35 server's gates: %q", base.Options.FeatureGates)
	}
	for _, bad := range []string{"v1.37", "v1.34,SELinuxMount=true", "v1.37,SELinuxMount", "v1.37,SELinuxMount=maybe"} {
		if _, err := WithGates(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestRefusal(t *testing.T) {
	err := errors.New("exited before ready: exit status 1\nI1203 x\nE1203 01:51:38.312795   16046 run.go:72] \"command failed\" err=\"cannot set feature gate SELinuxMountReadWriteOncePod to false, feature is locked to true\"")
	if got := Refusal(err); got != "cannot set feature gate SELinuxMountReadWriteOncePod to false, feature is locked to true" {
		t.Errorf("Refusal = %q", got)
	}
	if got := Refusal(errors.New("not ready after 3m\nlog")); got != "not ready after 3m" {
		t.Errorf("Refusal = %q", got)
	}
}
