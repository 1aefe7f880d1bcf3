package admissionpolicy

import (
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/admission"

	"github.com/selmount/selmount/policies/cluster"
)

type runtimeObject = runtime.Object

// podOf is the Pod the API server admits for an object: the Pod itself, or for a workload the Pod its
// controller creates from the template, which is always a CREATE.
func podOf(o *cluster.Object) (*corev1.Pod, admission.Operation, error) {
	if p, ok := o.Typed.(*corev1.Pod); ok {
		pod := p.DeepCopy()
		pod.Namespace = o.Namespace
		return pod, admission.Update, nil
	}
	p := cluster.PodFromObject(o)
	if p == nil {
		return nil, "", fmt.Errorf("%s: %s is not a Pod or workload", o.Source, o.ID())
	}
	pod := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: o.Name + "-0", Namespace: o.Namespace, Labels: p.Labels},
		Spec:       *p.Spec.DeepCopy(),
	}
	addClaimTemplateVolumes(pod, o.Name, p.ClaimTemplates)
	return pod, admission.Create, nil
}

// podKey is the name the model gives the object: "ns/name", or "ns/<Kind>/name" for workloads.
func podKey(o *cluster.Object) string {
	return cluster.PodFromObject(o).Key()
}

func changePolicy(p *corev1.Pod) string {
	if p.Spec.SecurityContext == nil || p.Spec.SecurityContext.SELinuxChangePolicy == nil {
		return ""
	}
	return string(*p.Spec.SecurityContext.SELinuxChangePolicy)
}

// namespacesOf is what the cluster holds: the replay's namespaces, and the Pod's own namespace, which
// exists in any cluster that accepts the Pod even when the input does not list it.
func namespacesOf(objects []cluster.Object, podNamespace string) map[string]*corev1.Namespace {
	out := map[string]*corev1.Namespace{}
	for i := range objects {
		if ns, ok := objects[i].Typed.(*corev1.Namespace); ok {
			out[objects[i].Name] = withNameLabel(ns.DeepCopy(), objects[i].Name)
		}
	}
	if _, ok := out[podNamespace]; !ok {
		out[podNamespace] = withNameLabel(&corev1.Namespace{}, podNamespace)
	}
	return out
}

// withNameLabel sets what the API server sets on every namespace: its name, and the
// kubernetes.io/metadata.name label that namespace selectors use.
func withNameLabel(ns *corev1.Namespace, name string) *corev1.Namespace {
	ns.Name = name
	if ns.Labels == nil {
		ns.Labels = map[string]string{}
	}
	ns.Labels[corev1.LabelMetadataName] = name
	return ns
}

// stateWith is the replayed cluster with the admitted object (as mutated) in it, used only to name
// volumes the way the model does.
func stateWith(objects []cluster.Object, mutated, admitted *cluster.Object) *cluster.State {
	s := cluster.NewState()
	for i := range objects {
		s.Apply(&objects[i])
	}
	switch {
	case mutated != nil:
		s.Apply(mutated)
	case admitted != nil:
		s.Apply(admitted)
	}
	return s
}

// addClaimTemplateVolumes does what the StatefulSet controller does for replica 0: each claim template
// becomes a volume of that name bound to the replica's own claim.
func addClaimTemplateVolumes(pod *corev1.Pod, set string, templates map[string]*corev1.PersistentVolumeClaim) {
	names := make([]string, 0, len(templates))
	for name := range templates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		vol := corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: name + "-" + set + "-0"}}}
		replaced := false
		for i := range pod.Spec.Volumes {
			if pod.Spec.Volumes[i].Name == name {
				pod.Spec.Volumes[i], replaced = vol, true
			}
		}
		if !replaced {
			pod.Spec.Volumes = append(pod.Spec.Volumes, vol)
		}
	}
}
