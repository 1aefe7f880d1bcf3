package gatekeeper

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/selmount/selmount/policies/cluster"
)

func metaTime(t time.Time) metav1.Time { return metav1.NewTime(t) }

// namespaces are the replay's Namespaces; one it does not list exists all the same in a cluster that
// accepts the object (with only the name label the API server sets).
type namespaces map[string]*corev1.Namespace

func namespacesOf(objects []cluster.Object) namespaces {
	out := namespaces{}
	for i := range objects {
		if ns, ok := objects[i].Typed.(*corev1.Namespace); ok {
			out[objects[i].Name] = ns.DeepCopy()
		}
	}
	return out
}

func (n namespaces) get(name string) *corev1.Namespace {
	ns, ok := n[name]
	if !ok {
		ns = &corev1.Namespace{}
	}
	ns = ns.DeepCopy()
	ns.APIVersion, ns.Kind, ns.Name = "v1", "Namespace", name
	if ns.Labels == nil {
		ns.Labels = map[string]string{}
	}
	ns.Labels["kubernetes.io/metadata.name"] = name
	return ns
}

// stateWith is the replayed cluster with the reviewed object in it, used only to name volumes the
// way the model does when a CEL message names a Pod volume.
func stateWith(objects []cluster.Object, reviewed *cluster.Object) *cluster.State {
	s := cluster.NewState()
	for i := range objects {
		s.Apply(&objects[i])
	}
	if reviewed != nil {
		s.Apply(reviewed)
	}
	return s
}
