package controller

import (
	"fmt"
	"strings"
)

// Event is what the controller records on a pod.
type Event struct {
	Pod     PodRef
	Type    string
	Reason  string
	Message string
}

// EventMessage is the text recorded on c.Pod. Across namespaces upstream hides the other pod's name
// and value (and, by a formatting quirk, puts no space before the quote).
func EventMessage(c Conflict) string {
	if c.Pod.Namespace == c.OtherPod.Namespace {
		return fmt.Sprintf(`%s "%s" conflicts with pod %s that uses the same volume as this pod with %s "%s". If both pods land on the same node, only one of them may access the volume.`,
			c.Property, c.PodValue, c.OtherPod.Name, c.Property, c.OtherPodValue)
	}
	return fmt.Sprintf(`%s"%s" conflicts with another pod that uses the same volume as this pod with a different %s. If both pods land on the same node, only one of them may access the volume.`,
		c.Property, c.PodValue, c.Property)
}

// ConflictEvent is the Normal event upstream records for a conflict.
func ConflictEvent(c Conflict) Event {
	return Event{Pod: c.Pod, Type: "Normal", Reason: c.Reason, Message: EventMessage(c)}
}

// MultipleLabelsEvent is the Warning event for a pod whose containers mount one volume with different labels.
func MultipleLabelsEvent(pod PodRef, volume string) Event {
	return Event{Pod: pod, Type: "Warning", Reason: "MultipleSELinuxLabels",
		Message: fmt.Sprintf("Volume %q is mounted twice with different SELinux labels inside this pod", volume)}
}

// MetricName is the controller's gauge.
const MetricName = "selinux_warning_controller_selinux_volume_conflict"

// MetricLine is one series of the gauge, labels in upstream's order; unlike events it is not censored.
func MetricLine(c Conflict) string {
	return fmt.Sprintf(`%s{property=%s,pod1_namespace=%s,pod1_name=%s,pod1_value=%s,pod2_namespace=%s,pod2_name=%s,pod2_value=%s} 1`,
		MetricName, quote(c.Property), quote(c.Pod.Namespace), quote(c.Pod.Name), quote(c.PodValue),
		quote(c.OtherPod.Namespace), quote(c.OtherPod.Name), quote(c.OtherPodValue))
}

// quote escapes a Prometheus label value (backslash, double quote, newline).
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// MetricHeader is the HELP and TYPE lines of the gauge.
func MetricHeader() string {
	return "# HELP " + MetricName + " [ALPHA] Conflict between two Pods using the same volume\n# TYPE " + MetricName + " gauge\n"
}
