// Package kubelet models what the kubelet does with a pod volume on an SELinux node: which label it
// mounts with, and which second pod on the same volume it refuses to start.
package kubelet

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
	"github.com/selmount/selmount/policies/selinux"
)

// Info is the outcome of the kubelet's label computation for one (pod, volume).
type Info struct {
	// MountLabel is the label after Recursive and plugin support cleared it ("" = no -o context).
	MountLabel     string
	ProcessLabel   string
	PluginSupports bool
}

// MultipleLabelsError is returned when the containers of one pod give a volume different labels.
type MultipleLabelsError struct{ Labels []string }

func (e *MultipleLabelsError) Error() string {
	return "multiple SELinux labels found: " + strings.Join(e.Labels, ",")
}

// MountInfo mirrors upstream GetMountSELinuxLabel: the label set is checked before policy and plugin
// support, so Recursive pods and unsupported plugins get the multiple-labels error too.
func MountInfo(profile gates.Profile, policy *corev1.PodSELinuxChangePolicy, pluginSupports bool, opts []selinux.Options, translate func(*selinux.Options) string) (Info, error) {
	if !profile.RWOP {
		return Info{}, nil
	}
	info := Info{PluginSupports: pluginSupports}
	labels := selinux.LabelSet(opts, translate)
	if len(labels) > 1 {
		return info, &MultipleLabelsError{Labels: labels}
	}
	if len(labels) == 0 {
		return info, nil
	}
	info.ProcessLabel, info.MountLabel = labels[0], labels[0]
	if profile.CP && policy != nil && *policy == corev1.SELinuxChangePolicyRecursive {
		info.MountLabel = ""
	}
	if !pluginSupports {
		info.MountLabel = ""
	}
	return info, nil
}

// VolumeSupportsSELinuxMount is the access-mode eligibility: a PV, and either the Mount gate or a PV
// whose only access mode is ReadWriteOncePod.
func VolumeSupportsSELinuxMount(profile gates.Profile, vol cluster.Volume) bool {
	if !profile.RWOP || !vol.HasPV {
		return false
	}
	if profile.Mount {
		return true
	}
	return len(vol.AccessModes) == 1 && vol.AccessModes[0] == corev1.ReadWriteOncePod
}

// MountContext is what the kubelet does with one pod volume on its own: the label it passes as
// -o context, or "" when the runtime relabels recursively instead.
func MountContext(profile gates.Profile, policy *corev1.PodSELinuxChangePolicy, vol cluster.Volume, opts []selinux.Options) (string, error) {
	info, err := MountInfo(profile, policy, vol.PluginSupports, opts, selinux.KubeletFileLabel)
	if err != nil || !VolumeSupportsSELinuxMount(profile, vol) {
		return "", err
	}
	return info.MountLabel, nil
}

// ConflictMessage is the kubelet's error text when a second pod brings a different label.
func ConflictMessage(volume, existing, incoming string) string {
	return fmt.Sprintf("conflicting SELinux labels of volume %s: %q and %q", volume, existing, incoming)
}

// MountOption is the extra mount option the kubelet appends after the PV's mountOptions.
func MountOption(label string) string {
	return fmt.Sprintf("context=%q", label)
}
