package controller

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEventMessages(t *testing.T) {
	same := Conflict{PropertyLabel, ReasonLabel, PodRef{"ns1", "pod1"}, ":::s0:c1,c2", PodRef{"ns1", "pod2"}, ":::s0:c98,c99"}
	require.Equal(t, `SELinuxLabel ":::s0:c1,c2" conflicts with pod pod2 that uses the same volume as this pod with SELinuxLabel ":::s0:c98,c99". If both pods land on the same node, only one of them may access the volume.`, EventMessage(same))
	policy := Conflict{PropertyChangePolicy, ReasonChangePolicy, PodRef{"ns1", "pod1"}, "Recursive", PodRef{"ns1", "pod2"}, "MountOption"}
	require.Equal(t, `SELinuxChangePolicy "Recursive" conflicts with pod pod2 that uses the same volume as this pod with SELinuxChangePolicy "MountOption". If both pods land on the same node, only one of them may access the volume.`, EventMessage(policy))

	cross := same
	cross.OtherPod.Namespace = "secret-team"
	msg := EventMessage(cross)
	require.Equal(t, `SELinuxLabel":::s0:c1,c2" conflicts with another pod that uses the same volume as this pod with a different SELinuxLabel. If both pods land on the same node, only one of them may access the volume.`, msg)
	require.NotContains(t, msg, "pod2")
	require.NotContains(t, msg, "secret-team")
	require.NotContains(t, msg, "c98")

	ev := ConflictEvent(same)
	require.Equal(t, "Normal", ev.Type)
	require.Equal(t, ReasonLabel, ev.Reason)
	ml := MultipleLabelsEvent(PodRef{"ns", "p"}, "data")
	require.Equal(t, Event{PodRef{"ns", "p"}, "Warning", "MultipleSELinuxLabels", `Volume "data" is mounted twice with different SELinux labels inside this pod`}, ml)
}

func TestMetricLine(t *testing.T) {
	c := Conflict{PropertyLabel, ReasonLabel, PodRef{"default", "my-other-pod"}, "system_u:object_r:container_file_t:s0:c0,c1", PodRef{"default", "my-pod"}, `a"b\c`}
	require.Equal(t, `selinux_warning_controller_selinux_volume_conflict{property="SELinuxLabel",pod1_namespace="default",pod1_name="my-other-pod",pod1_value="system_u:object_r:container_file_t:s0:c0,c1",pod2_namespace="default",pod2_name="my-pod",pod2_value="a\"b\\c"} 1`, MetricLine(c))
	require.Contains(t, MetricHeader(), "# TYPE selinux_warning_controller_selinux_volume_conflict gauge")
}
