package policies

import (
	"sort"
	"strings"

	"github.com/selmount/selmount/policies/controller"
)

// PodRef names a pod (or a workload, "<Kind>/<name>") by namespace and name.
type PodRef = controller.PodRef

// Finding is one rule's verdict about one pod. The JSON names are a contract other tools rely on.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Pod      PodRef   `json:"pod"`
	OtherPod *PodRef  `json:"otherPod,omitempty"`
	Volume   string   `json:"volume,omitempty"`
	Property string   `json:"property,omitempty"`
	Values   []string `json:"values,omitempty"`
	Message  string   `json:"message"`
	// Latent findings concern pods scheduled to different nodes today.
	Latent bool `json:"latent,omitempty"`
	// Assumed findings rest on a StorageClass or CSIDriver that is not in the input.
	Assumed bool `json:"assumed,omitempty"`
}

// Key identifies a finding for comparison and deduplication; the message is not part of it.
func (f Finding) Key() string {
	other := ""
	if f.OtherPod != nil {
		other = f.OtherPod.Key()
	}
	return strings.Join([]string{f.Rule, f.Pod.Key(), other, f.Volume, f.Property, strings.Join(f.Values, "\x1f")}, "\x1e")
}

// SortFindings orders findings by rule, pod, other pod, volume and property, and drops duplicates.
func SortFindings(fs []Finding) []Finding {
	keyed := make([]struct {
		key string
		f   Finding
	}, len(fs))
	for i, f := range fs {
		keyed[i].key, keyed[i].f = f.Key(), f
	}
	sort.SliceStable(keyed, func(i, j int) bool { return keyed[i].key < keyed[j].key })
	out := fs[:0]
	for i, k := range keyed {
		if i > 0 && k.key == keyed[i-1].key {
			continue
		}
		out = append(out, k.f)
	}
	return out
}

// Reaches tells whether a finding's severity reaches a threshold ("none" is never reached).
func Reaches(severity, threshold string) bool {
	switch threshold {
	case SeverityWarning:
		return severity == SeverityWarning || severity == SeverityError
	case SeverityError:
		return severity == SeverityError
	}
	return false
}
