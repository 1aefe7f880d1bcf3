package kyverno

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// PendingClaims are the claims among the Pod's volumes (its own claims, and its generic ephemeral
// volumes' claims) that the server holds as not Bound, as "namespace/name".
func PendingClaims(ctx context.Context, c kubernetes.Interface, pod *corev1.Pod) ([]string, error) {
	var out []string
	for _, v := range pod.Spec.Volumes {
		name := ""
		switch {
		case v.PersistentVolumeClaim != nil:
			name = v.PersistentVolumeClaim.ClaimName
		case v.Ephemeral != nil:
			name = pod.Name + "-" + v.Name
		default:
			continue
		}
		pvc, err := c.CoreV1().PersistentVolumeClaims(pod.Namespace).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			continue // absent: the scenario has no such claim either
		}
		if pvc.Status.Phase != corev1.ClaimBound {
			out = append(out, pod.Namespace+"/"+name)
		}
	}
	return out, nil
}
