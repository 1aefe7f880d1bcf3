// Package bundles applies selmount's bundles to a real kube-apiserver with a real kubectl, exactly as
// the READMEs tell users, and records which objects each Kubernetes version accepts.
package bundles

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// kubectlTimeout bounds one kubectl call; --request-timeout bounds each request inside it.
const kubectlTimeout = 2 * time.Minute

// Kubectl runs the kubectl binary against one kubeconfig.
type Kubectl struct {
	Bin, Kubeconfig string
}

// Run returns kubectl's combined output and its exit code (-1 when it could not run).
func (k Kubectl) Run(args ...string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), kubectlTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, k.Bin, append([]string{"--kubeconfig=" + k.Kubeconfig, "--request-timeout=60s"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err == nil {
		return out.String(), 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), ee.ExitCode()
	}
	return out.String() + err.Error(), -1
}

// Outcome is what the server said about one object of a bundle.
type Outcome struct {
	Object   string `json:"object"` // "validatingadmissionpolicy.admissionregistration.k8s.io/selmount-selinux-errors"
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason,omitempty"`   // the server's refusal, trimmed
	Expected string `json:"expected,omitempty"` // why this refusal is the answer the server must give
}

var (
	// kubectl apply prints "<resource>/<name> created|configured|unchanged" per object.
	appliedLine = regexp.MustCompile(`^(\S+/\S+) (created|configured|unchanged|serverside-applied)$`)
	// and "Error from server (...): error when creating "<file>": <kind> "<name>" is invalid: ..." per refusal.
	refusedLine = regexp.MustCompile(`^Error from server \(([^)]*)\): error when (?:creating|patching|retrieving)[^:]*: (.*)$`)
	// a refusal of a kind the server does not serve
	unknownKind = regexp.MustCompile(`^(?:error: )?resource mapping not found for name: "([^"]*)" namespace: "[^"]*" from "[^"]*": no matches for kind "([^"]*)" in version "([^"]*)"`)
)

// ParseApply reads kubectl apply's output into one outcome per object line it recognises and the
// server's warnings (deprecations); lines it does not recognise are returned so that a test can fail
// on them rather than lose them.
func ParseApply(out string) (outcomes []Outcome, warnings, unread []string) {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "Warning: "):
			warnings = append(warnings, strings.TrimPrefix(line, "Warning: "))
		case appliedLine.MatchString(line):
			outcomes = append(outcomes, Outcome{Object: appliedLine.FindStringSubmatch(line)[1], Accepted: true})
		case refusedLine.MatchString(line):
			m := refusedLine.FindStringSubmatch(line)
			outcomes = append(outcomes, Outcome{Object: objectOf(m[2]), Reason: m[1] + ": " + m[2]})
		case unknownKind.MatchString(line):
			m := unknownKind.FindStringSubmatch(line)
			outcomes = append(outcomes, Outcome{Object: m[2] + "/" + m[1], Reason: "kind " + m[2] + " is not served in " + m[3]})
		case strings.HasPrefix(line, "ensure CRDs are installed first"):
		default:
			unread = append(unread, line)
		}
	}
	return outcomes, warnings, unread
}

// objectOf names the object of a refusal such as `validatingadmissionpolicies... "x" is invalid: ...`.
var refusedObject = regexp.MustCompile(`^(\S+) "([^"]+)"`)

func objectOf(msg string) string {
	if m := refusedObject.FindStringSubmatch(msg); m != nil {
		return m[1] + "/" + m[2]
	}
	return msg
}
