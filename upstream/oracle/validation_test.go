package oracle

import (
	"testing"

	"github.com/selmount/selmount/policies"
)

func policyPod(policy, os string) string {
	return `
apiVersion: v1
kind: Pod
metadata: {namespace: a, name: p}
spec:
  os: {name: ` + os + `}
  securityContext: {seLinuxChangePolicy: ` + policy + `}
  containers: [{name: c, image: i}]
`
}

func misuse(res Result) []policies.Finding {
	var out []policies.Finding
	for _, f := range res.Findings {
		if f.Rule == policies.RuleMisuse {
			out = append(out, f)
		}
	}
	return out
}

func TestValidationOfChangePolicy(t *testing.T) {
	for _, c := range []struct {
		profile, policy, os string
		rejected            bool
	}{
		{"v1.37", "MountOption", "linux", false},
		{"v1.37", "Foo", "linux", true},
		{"v1.37", "Recursive", "windows", true},
		{"v1.36", "MountOption", "linux", true},
		{"v1.36", "Recursive", "linux", false},
		{"v1.35,SELinuxChangePolicy=false", "Foo", "linux", false}, // dropped, not rejected
	} {
		got := misuse(replayYAML(t, c.profile, policyPod(c.policy, c.os)))
		if (len(got) > 0) != c.rejected {
			t.Errorf("%s %s on %s: got %+v", c.profile, c.policy, c.os, got)
		}
	}
}
