package admissionpolicy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// The policies' messages, read back into findings. Each names its rule first; values are quoted.
var (
	ruleMessage    = regexp.MustCompile(`(SELINUX-[0-9]{3}): (.*)$`)
	policyValue    = regexp.MustCompile(`^spec\.securityContext\.seLinuxChangePolicy "(.*)" (cannot be set|is neither)`)
	labelValue     = regexp.MustCompile(`^namespace label selmount\.io/change-policy="(.*)" is neither`)
	optOutValue    = regexp.MustCompile(`is opted out \((.*)\), but this Pod`)
	volumeLabels   = regexp.MustCompile(`volume "([^"]*)" is mounted with different SELinux labels \(((?:"[^"]*"(?:, )?)+)\)`)
	quoted         = regexp.MustCompile(`"([^"]*)"`)
	evaluatedRules = "/evaluated"
)

// errorsPolicy holds the validations whose findings are errors; the other policy's are warnings.
const errorsPolicy = "selmount-selinux-errors"

// findingsOf turns the warnings of one validation into findings about the pod named key, and the
// policies' audit annotations into the rules they evaluated.
func findingsOf(texts []string, annotations map[string]string, state *cluster.State, key string) ([]policies.Finding, map[string]int, error) {
	ns, name, _ := strings.Cut(key, "/")
	ref := policies.PodRef{Namespace: ns, Name: name}
	var out []policies.Finding
	for _, text := range texts {
		severity := policies.SeverityWarning
		if strings.Contains(text, "'"+errorsPolicy+"'") {
			severity = policies.SeverityError
		}
		m := ruleMessage.FindStringSubmatch(text)
		if m == nil {
			return nil, nil, fmt.Errorf("pod %s: unexpected admission message %q", key, text)
		}
		rule, msg := m[1], m[2]
		if _, known := policies.RuleByID(rule); !known {
			return nil, nil, fmt.Errorf("pod %s: admission message names %s, which the catalogue lacks: %q", key, rule, text)
		}
		f := policies.Finding{Rule: rule, Severity: severity, Pod: ref, Message: rule + ": " + msg}
		switch {
		case rule == policies.RuleMultipleLabels:
			fs, err := volumeFindings(f, msg, state, key)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, fs...)
			continue
		case policyValue.MatchString(msg):
			f.Property, f.Values = "seLinuxChangePolicy", []string{policyValue.FindStringSubmatch(msg)[1]}
		case labelValue.MatchString(msg):
			f.Property, f.Values = policies.OptOutLabel, []string{labelValue.FindStringSubmatch(msg)[1]}
		case rule == policies.RuleOptOut && optOutValue.MatchString(msg):
			f.Property, f.Values = "seLinuxChangePolicy", []string{optOutValue.FindStringSubmatch(msg)[1]}
		default:
			return nil, nil, fmt.Errorf("pod %s: unreadable %s message %q", key, rule, msg)
		}
		out = append(out, f)
	}
	// A rule counts as evaluated once per request when a policy that checks it published its
	// annotation, which it does only after matching and evaluating.
	evaluated := map[string]int{}
	for k, v := range annotations {
		if strings.HasSuffix(k, evaluatedRules) {
			for _, r := range strings.Split(v, ",") {
				evaluated[r] = 1
			}
		}
	}
	return out, evaluated, nil
}

// volumeFindings reads one finding per volume; with a state, the volume is named the way the model
// names it, without one it keeps the Pod's volume name.
func volumeFindings(base policies.Finding, msg string, state *cluster.State, key string) ([]policies.Finding, error) {
	var vols map[string]cluster.Volume
	if state != nil {
		pod := state.Pod(key)
		if pod == nil {
			return nil, fmt.Errorf("pod %s is not in the replayed state", key)
		}
		vols, _ = state.ResolvePod(pod)
	}
	var out []policies.Finding
	for _, m := range volumeLabels.FindAllStringSubmatch(msg, -1) {
		f := base
		f.Volume = m[1]
		if v, ok := vols[m[1]]; ok && v.Key != "" {
			f.Volume = v.Key
		}
		f.Values = nil
		for _, q := range quoted.FindAllStringSubmatch(m[2], -1) {
			f.Values = append(f.Values, q[1])
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pod %s: unreadable SELINUX-003 message %q", key, msg)
	}
	return out, nil
}
