package cluster

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestInternerSharesEqualValuesAndStaysBounded(t *testing.T) {
	in := newInterner()
	a, b := strings.Clone("team-a"), strings.Clone("team-a")
	require.Same(t, unsafe.StringData(in.string(a)), unsafe.StringData(in.string(b)))
	o1, o2 := &corev1.SELinuxOptions{Level: "s0:c1"}, &corev1.SELinuxOptions{Level: "s0:c1"}
	require.Same(t, in.opts(o1), in.opts(o2))
	require.Nil(t, in.opts(nil))
	for i := range maxInterned + 10 {
		in.string(fmt.Sprint(i))
		in.opts(&corev1.SELinuxOptions{Level: fmt.Sprint(i)})
	}
	require.LessOrEqual(t, len(in.strings), maxInterned)
	require.LessOrEqual(t, len(in.options), maxInterned)
}

// The scan's Pods share their repeated strings and options, and read as they did before.
func TestDecodeScanPodsAreModelsSharingRepeatedValues(t *testing.T) {
	pod := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"team"},"spec":{"nodeName":"n1",
"securityContext":{"seLinuxOptions":{"level":"s0:c1"}},"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"c"}}],
"containers":[{"name":"app","volumeMounts":[{"name":"data","mountPath":"/d"}]}]}}`
	doc := `{"apiVersion":"v1","kind":"List","items":[` + fmt.Sprintf(pod, "a") + "," + fmt.Sprintf(pod, "b") + `]}`
	objs, err := DecodeScan("dump.json", []byte(doc))
	require.NoError(t, err)
	want, err := Decode("dump.json", []byte(doc))
	require.NoError(t, err)
	a, b := objs[0].Typed.(*Pod), objs[1].Typed.(*Pod)
	require.Nil(t, a.Spec)
	require.Equal(t, ModelOf(PodFromObject(&want[0]).Spec), a.Model)
	require.Same(t, unsafe.StringData(a.Namespace), unsafe.StringData(b.Namespace))
	require.Same(t, unsafe.StringData(a.Model.NodeName), unsafe.StringData(b.Model.NodeName))
	require.Same(t, a.Model.SELinux, b.Model.SELinux)
	require.Same(t, unsafe.StringData(a.Model.Volumes[0].Claim.ClaimName), unsafe.StringData(b.Model.Volumes[0].Claim.ClaimName))
	require.Same(t, unsafe.StringData(a.Model.Containers[0].Mounts[0]), unsafe.StringData(a.Model.Volumes[0].Name))
}
