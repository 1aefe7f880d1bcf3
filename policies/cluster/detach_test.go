package cluster_test

import (
	"testing"
	"unsafe"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
)

func TestDetachSpecsKeepsTheSpecNotTheObject(t *testing.T) {
	pod := &corev1.Pod{Spec: corev1.PodSpec{NodeName: "node-1", Volumes: []corev1.Volume{{Name: "v"}}}}
	s, err := cluster.Build([]cluster.Object{{APIVersion: "v1", Kind: "Pod", Namespace: "ns", Name: "p", Typed: pod}})
	require.NoError(t, err)
	require.Same(t, &pod.Spec, s.Pods[0].Spec, "Build shares the object's spec: else there is nothing to detach")

	s.DetachSpecs()
	got := s.Pods[0].Spec
	require.Equal(t, pod.Spec, *got)
	start, end := uintptr(unsafe.Pointer(pod)), uintptr(unsafe.Pointer(pod))+unsafe.Sizeof(*pod)
	if p := uintptr(unsafe.Pointer(got)); p >= start && p < end {
		t.Fatal("the spec still points into the Pod object, which stays alive with it")
	}
}
