package gatekeeper

import (
	"context"
	"testing"

	mutationtypes "github.com/open-policy-agent/gatekeeper/v3/pkg/mutation/types"
	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/policies/cluster"
)

func podObject(t *testing.T, yaml string) *cluster.Object {
	t.Helper()
	objs, err := cluster.Decode("pod.yaml", []byte(yaml))
	require.NoError(t, err)
	require.Len(t, objs, 1)
	return &objs[0]
}

func namespace(label string) *corev1.Namespace {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "apps", Labels: map[string]string{}}}
	if label != "" {
		ns.Labels["selmount.io/change-policy"] = label
	}
	return ns
}

// The Assign mutators, through Gatekeeper's mutation system: the namespace's value on CREATE when
// unset; never over an explicit value; Pods labelled as Windows are left alone.
func TestOptOutMutators(t *testing.T) {
	e := engine(t, Options{})
	ctx := context.Background()
	for _, c := range []struct {
		name, label, pod, want string
		changed                bool
	}{
		{"recursive namespace", "Recursive", "spec: {containers: [{name: c, image: i}]}", "Recursive", true},
		{"mountoption namespace", "MountOption", "spec: {containers: [{name: c, image: i}]}", "MountOption", true},
		{"explicit value kept", "Recursive", "spec: {securityContext: {seLinuxChangePolicy: MountOption}, containers: [{name: c, image: i}]}", "MountOption", false},
		{"unlabelled namespace", "", "spec: {containers: [{name: c, image: i}]}", "", false},
		{"invalid label value", "Sometimes", "spec: {containers: [{name: c, image: i}]}", "", false},
		{"labelled windows pod", "Recursive", "spec: {os: {name: windows}, containers: [{name: c, image: i}]}", "", false},
		{"null security context", "Recursive", "spec: {securityContext: null, containers: [{name: c, image: i}]}", "Recursive", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			labels := "{}"
			if c.name == "labelled windows pod" {
				labels = "{selmount.io/os: windows}"
			}
			o := podObject(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps, labels: "+labels+"}\n"+c.pod)
			got, changed, err := e.mutate(ctx, o, namespace(c.label))
			require.NoError(t, err)
			require.Equal(t, c.want, got)
			require.Equal(t, c.changed, changed)
		})
	}
}

// The mutators apply to CREATE only: an UPDATE of an unset Pod in an opted-out namespace is left
// alone (the API server would refuse the change of an immutable field).
func TestOptOutMutatorsSkipUpdate(t *testing.T) {
	e := engine(t, Options{})
	pod, err := podOf(podObject(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec: {containers: [{name: c, image: i}]}"))
	require.NoError(t, err)
	changed, err := e.mutations.Mutate(context.Background(), &mutationtypes.Mutable{
		Object: pod, Namespace: namespace("Recursive"), Source: mutationtypes.SourceTypeOriginal, Operation: admissionv1.Update})
	require.NoError(t, err)
	require.False(t, changed)
	_, found, _ := unstructured.NestedString(pod.Object, "spec", "securityContext", "seLinuxChangePolicy")
	require.False(t, found)
}
