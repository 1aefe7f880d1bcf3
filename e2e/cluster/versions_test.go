package cluster

import (
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
