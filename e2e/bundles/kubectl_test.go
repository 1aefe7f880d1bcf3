package bundles

import (
	"reflect"
	"testing"
)

func TestParseApply(t *testing.T) {
	out := `mutatingadmissionpolicy.admissionregistration.k8s.io/selmount-change-policy-opt-out created
validatingadmissionpolicybinding.admissionregistration.k8s.io/selmount-selinux-errors unchanged
Error from server (Invalid): error when creating "/repo/map/overlays/v1beta1": ValidatingAdmissionPolicy.admissionregistration.k8s.io "selmount-selinux-errors" is invalid: spec.variables[12].expression: Invalid value: "...": compilation failed: ERROR: <input>:1:2: undeclared reference to 'distinct'
error: resource mapping not found for name: "selmount-change-policy-opt-out" namespace: "" from "/repo/map": no matches for kind "MutatingAdmissionPolicy" in version "admissionregistration.k8s.io/v1"
ensure CRDs are installed first
Warning: admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy is deprecated in v1.37+
something unexpected
`
	got, warnings, unread := ParseApply(out)
	want := []Outcome{
		{Object: "mutatingadmissionpolicy.admissionregistration.k8s.io/selmount-change-policy-opt-out", Accepted: true},
		{Object: "validatingadmissionpolicybinding.admissionregistration.k8s.io/selmount-selinux-errors", Accepted: true},
		{Object: "ValidatingAdmissionPolicy.admissionregistration.k8s.io/selmount-selinux-errors",
			Reason: `Invalid: ValidatingAdmissionPolicy.admissionregistration.k8s.io "selmount-selinux-errors" is invalid: spec.variables[12].expression: Invalid value: "...": compilation failed: ERROR: <input>:1:2: undeclared reference to 'distinct'`},
		{Object: "MutatingAdmissionPolicy/selmount-change-policy-opt-out", Reason: "kind MutatingAdmissionPolicy is not served in admissionregistration.k8s.io/v1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(warnings, []string{"admissionregistration.k8s.io/v1beta1 MutatingAdmissionPolicy is deprecated in v1.37+"}) {
		t.Errorf("warnings = %q", warnings)
	}
	if !reflect.DeepEqual(unread, []string{"something unexpected"}) {
		t.Errorf("unread = %q", unread)
	}
}

func TestAllAccepted(t *testing.T) {
	ok := Applied{Objects: []Outcome{{Object: "a", Accepted: true}}}
	if !ok.AllAccepted() {
		t.Error("one accepted object, exit 0: want accepted")
	}
	for name, a := range map[string]Applied{
		"exit code":    {ExitCode: 1, Objects: ok.Objects},
		"no objects":   {},
		"one refused":  {Objects: []Outcome{{Object: "a", Accepted: true}, {Object: "b"}}},
		"unread lines": {Objects: ok.Objects, Unread: []string{"x"}},
	} {
		if a.AllAccepted() {
			t.Errorf("%s: want not accepted", name)
		}
	}
}

func TestClaimed(t *testing.T) {
	b := Bundle{Dir: "map/overlays/v1beta1", Claims: []string{"1.35"}}
	if !b.Claimed("1.35") || b.Claimed("1.37") {
		t.Errorf("Claimed wrong for %v", b.Claims)
	}
}

func TestOnlyUnservedKinds(t *testing.T) {
	unserved := `validatingadmissionpolicy.admissionregistration.k8s.io "selmount-selinux-errors" deleted
error: resource mapping not found for name: "selmount-change-policy-opt-out" namespace: "" from "map": no matches for kind "MutatingAdmissionPolicy" in version "admissionregistration.k8s.io/v1"
ensure CRDs are installed first
config.config.gatekeeper.sh "config" deleted from gatekeeper-system namespace
resource mapping not found for name: "selmount-selinux-005" namespace: "" from "gatekeeper": no matches for kind "SelmountChangePolicyMisuse" in version "constraints.gatekeeper.sh/v1beta1"
`
	if !onlyUnservedKinds(unserved) {
		t.Error("an unserved kind is not a failed removal")
	}
	if onlyUnservedKinds(`Error from server (Forbidden): forbidden`) {
		t.Error("a refusal passed as an unserved kind")
	}
	if onlyUnservedKinds("") {
		t.Error("empty output is no explanation for a failure")
	}
}
