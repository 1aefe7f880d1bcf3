package admissionpolicy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// The policies publish their findings as JSON in the audit annotation "<policy>/findings"; the
// warnings (or the refusal) are read only for their rule IDs, which must be the annotation's.
var (
	ruleMessage    = regexp.MustCompile(`(SELINUX-[0-9]{3}): `)
	evaluatedRules = "/evaluated"
	findingsKey    = "/findings"
)

// errorsPolicy holds the validations whose findings are errors; the other policy's are warnings.
const errorsPolicy = "selmount-selinux-errors"

// published is one entry of a policy's findings annotation.
type published struct {
	Rule     string   `json:"rule"`
	Property string   `json:"property"`
	Volume   string   `json:"volume"`
	Values   []string `json:"values"`
}

// findingsOf reads the findings the policies published about the pod named key, and the rules they
// evaluated. The warning texts must name exactly the rules the annotations hold, each policy's
// severity its own: a message and its data cannot drift apart unseen.
func findingsOf(texts []string, annotations map[string]string, state *cluster.State, key string) ([]policies.Finding, map[string]int, error) {
	ns, name, _ := strings.Cut(key, "/")
	ref := policies.PodRef{Namespace: ns, Name: name}
	var out []policies.Finding
	fromData := map[string]int{}
	for k, v := range annotations {
		policy, ok := strings.CutSuffix(k, findingsKey)
		if !ok {
			continue
		}
		var entries []published
		if err := json.Unmarshal([]byte(v), &entries); err != nil {
			return nil, nil, fmt.Errorf("pod %s: %s is not JSON (cut at 10 KiB?): %v", key, k, err)
		}
		severity := policies.SeverityWarning
		if policy == errorsPolicy {
			severity = policies.SeverityError
		}
		for _, e := range entries {
			if _, known := policies.RuleByID(e.Rule); !known {
				return nil, nil, fmt.Errorf("pod %s: %s names %s, which the catalogue lacks", key, k, e.Rule)
			}
			f := policies.Finding{Rule: e.Rule, Severity: severity, Pod: ref, Property: e.Property, Values: e.Values}
			if e.Volume != "" {
				v, err := volumeKey(state, key, e.Volume)
				if err != nil {
					return nil, nil, err
				}
				f.Volume = v
			}
			out = append(out, f)
			fromData[severity+" "+e.Rule]++
		}
	}
	fromText := map[string]int{}
	for _, text := range texts {
		severity := policies.SeverityWarning
		if strings.Contains(text, "'"+errorsPolicy+"'") {
			severity = policies.SeverityError
		}
		m := ruleMessage.FindAllStringSubmatch(text, -1)
		if m == nil {
			return nil, nil, fmt.Errorf("pod %s: unexpected admission message %q", key, text)
		}
		fromText[severity+" "+m[0][1]]++
	}
	for k := range fromText {
		if fromData[k] == 0 {
			return nil, nil, fmt.Errorf("pod %s: a message says %s, the findings annotations do not: %q", key, k, texts)
		}
	}
	for k := range fromData {
		if fromText[k] == 0 {
			return nil, nil, fmt.Errorf("pod %s: the findings annotations hold %s, no message does: %q", key, k, texts)
		}
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

// volumeKey names a pod volume the way the model names the volume; without a state (unit tests) it
// keeps the pod volume's name.
func volumeKey(state *cluster.State, key, podVolume string) (string, error) {
	if state == nil {
		return podVolume, nil
	}
	pod := state.Pod(key)
	if pod == nil {
		return "", fmt.Errorf("pod %s is not in the replayed state", key)
	}
	vols, _ := state.ResolvePod(pod)
	if v, ok := vols[podVolume]; ok && v.Key != "" {
		return v.Key, nil
	}
	return podVolume, nil
}
