package replay

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/selmount/selmount/policies/cluster"
)

// ControllerPod is the Pod a workload's controller would create from its template. No controller
// manager runs here, so the replay creates it, as the controller's own request would reach admission:
// a CREATE of a Pod with the template's labels and spec, and for a StatefulSet a claim volume per
// volumeClaimTemplate named as replica 0's claim.
func ControllerPod(o *cluster.Object) (*unstructured.Unstructured, error) {
	p := cluster.PodFromObject(o)
	if p == nil || o.Kind == "Pod" {
		return nil, fmt.Errorf("%s is not a workload", o.ID())
	}
	pod := &corev1.Pod{}
	pod.APIVersion, pod.Kind = "v1", "Pod"
	pod.Namespace, pod.Name, pod.Labels = o.Namespace, strings.ToLower(o.Kind)+"-"+o.Name, p.Labels
	pod.Spec = *p.Spec.DeepCopy()
	for name := range p.ClaimTemplates {
		// As the StatefulSet controller does, the claim replaces a template volume of the same name.
		pod.Spec.Volumes = withoutVolume(pod.Spec.Volumes, name)
		pod.Spec.Volumes = append(pod.Spec.Volumes, corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
			PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: name + "-" + o.Name + "-0"}}})
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(pod)
	if err != nil {
		return nil, err
	}
	return &unstructured.Unstructured{Object: m}, nil
}

func withoutVolume(vs []corev1.Volume, name string) []corev1.Volume {
	var out []corev1.Volume
	for _, v := range vs {
		if v.Name != name {
			out = append(out, v)
		}
	}
	return out
}
