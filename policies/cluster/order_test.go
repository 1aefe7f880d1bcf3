package cluster_test

import (
	"testing"
	"time"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// created is a second of one day: the API server writes whole seconds. 0 is no timestamp.
func created(s int) metav1.Time {
	if s == 0 {
		return metav1.Time{}
	}
	return metav1.NewTime(time.Date(2025, 3, 1, 12, 0, s, 0, time.UTC))
}

func podObj(ns, name string, s int) cluster.Object {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, CreationTimestamp: created(s)}}
	return cluster.Object{APIVersion: "v1", Kind: "Pod", Namespace: ns, Name: name, Typed: pod}
}

func deployObj(ns, name string, s int) cluster.Object {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, CreationTimestamp: created(s)}}
	return cluster.Object{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: name, Typed: d}
}

// requireOrder builds objs and checks the Pods' order, and that Pod and Position agree with it.
func requireOrder(t *testing.T, objs []cluster.Object, want ...string) {
	t.Helper()
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	var got []string
	for i, p := range s.Pods {
		got = append(got, p.Key())
		require.Equal(t, i, s.Position(p.Key()), "podIndex out of step with Pods")
		require.Same(t, p, s.Pod(p.Key()))
	}
	require.Equal(t, want, got)
}

// A dump lists reports/dashboard before reports/legacy-exporter (by name), but legacy-exporter was
// created first: it is the earlier Pod, as Gatekeeper's audit has it.
func TestBuildOrdersADumpByCreation(t *testing.T) {
	requireOrder(t, []cluster.Object{podObj("reports", "dashboard", 2), podObj("reports", "legacy-exporter", 1)},
		"reports/legacy-exporter", "reports/dashboard")
}

// Timestamps have whole seconds: Pods of one second go by namespace, then kind, then name, as
// Gatekeeper's sort breaks the tie (a workload's kind is its own: "Deployment" before "Pod").
func TestBuildBreaksOneSecondTiesByNamespaceKindName(t *testing.T) {
	requireOrder(t, []cluster.Object{
		podObj("b", "a", 5), podObj("a", "z", 5), deployObj("a", "z", 5), podObj("a", "m", 5), deployObj("a", "b", 5), podObj("a", "early", 4),
	}, "a/early", "a/Deployment/b", "a/Deployment/z", "a/m", "a/z", "b/a")
}

// Pods without a timestamp keep their input order and come before any Pod with one, as
// Gatekeeper's Rego sorts "" first.
func TestBuildPutsPodsWithoutTimestampFirstInInputOrder(t *testing.T) {
	requireOrder(t, []cluster.Object{
		podObj("ns", "c", 2), podObj("ns", "z", 0), podObj("ns", "b", 1), deployObj("ns", "y", 0), podObj("ns", "a", 0),
	}, "ns/z", "ns/Deployment/y", "ns/a", "ns/b", "ns/c")
}

// A manifest has no timestamps: its order is its apply order, untouched (not sorted by name).
func TestBuildKeepsTheOrderOfObjectsWithoutTimestamps(t *testing.T) {
	requireOrder(t, []cluster.Object{podObj("ns", "z", 0), deployObj("a", "y", 0), podObj("ns", "a", 0)},
		"ns/z", "a/Deployment/y", "ns/a")
}

// OrderByCreation may be called again (the webhook's cache does after each change): it is a no-op
// on a state already in order.
func TestOrderByCreationIsIdempotent(t *testing.T) {
	s, err := cluster.Build([]cluster.Object{podObj("ns", "b", 1), podObj("ns", "a", 0), podObj("ns", "c", 1)})
	require.NoError(t, err)
	before := append([]*cluster.Pod(nil), s.Pods...)
	s.OrderByCreation()
	require.Equal(t, before, s.Pods)
}
