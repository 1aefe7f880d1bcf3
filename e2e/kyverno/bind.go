package kyverno

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// BindClaims does what the PV controller, which no process runs here, does for a claim that names
// its volume: when the volume exists and is free or reserved for that claim, the claim and the volume
// become Bound to each other. The API server stores every new claim as Pending, and the policies (as
// the kubelet) resolve no Pending claim; scenarios describe claims without a status, which the model
// resolves as bound. Claims without a volumeName stay Pending: nothing provisions them here.
func BindClaims(ctx context.Context, c kubernetes.Interface) (int, error) {
	claims, err := c.CoreV1().PersistentVolumeClaims("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return 0, err
	}
	bound := 0
	for i := range claims.Items {
		pvc := &claims.Items[i]
		if pvc.Spec.VolumeName == "" || pvc.Status.Phase == corev1.ClaimBound {
			continue
		}
		pv, err := c.CoreV1().PersistentVolumes().Get(ctx, pvc.Spec.VolumeName, metav1.GetOptions{})
		if err != nil {
			continue // not created yet, or never: the claim stays Pending, as in a cluster
		}
		if ref := pv.Spec.ClaimRef; ref != nil && (ref.Namespace != pvc.Namespace || ref.Name != pvc.Name || ref.UID != "" && ref.UID != pvc.UID) {
			continue // reserved for another claim: the PV controller would not bind them
		}
		pv.Spec.ClaimRef = &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID}
		if pv, err = c.CoreV1().PersistentVolumes().Update(ctx, pv, metav1.UpdateOptions{}); err != nil {
			return bound, fmt.Errorf("bind PV %s: %v", pv.Name, err)
		}
		pv.Status.Phase = corev1.VolumeBound
		if _, err := c.CoreV1().PersistentVolumes().UpdateStatus(ctx, pv, metav1.UpdateOptions{}); err != nil {
			return bound, fmt.Errorf("status of PV %s: %v", pv.Name, err)
		}
		pvc.Status.Phase = corev1.ClaimBound
		if _, err := c.CoreV1().PersistentVolumeClaims(pvc.Namespace).UpdateStatus(ctx, pvc, metav1.UpdateOptions{}); err != nil {
			return bound, fmt.Errorf("status of claim %s/%s: %v", pvc.Namespace, pvc.Name, err)
		}
		bound++
	}
	return bound, nil
}

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
