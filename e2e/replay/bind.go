package replay

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"
)

// BindClaims does what the PV controller (not running here) does for a claim that names a volume:
// when the volume exists and its claimRef is empty or names the claim (and its uid, if it has one),
// the claimRef gets the claim's uid and both become Bound. The webhook reads the cluster as a live
// cluster's (only a Bound claim reaches its volume), where the model reads a scenario's objects as
// applied manifests, which such a claim binds to. A claim that names no volume is provisioned first
// (provision) when its class has a CSI provisioner; the volumes made are returned, for cleanup.
func BindClaims(ctx context.Context, c kubernetes.Interface) ([]*unstructured.Unstructured, error) {
	core := c.CoreV1()
	claims, err := core.PersistentVolumeClaims("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var made []*unstructured.Unstructured
	for i := range claims.Items {
		pvc := &claims.Items[i]
		if pvc.Status.Phase == corev1.ClaimBound {
			continue
		}
		if pvc.Spec.VolumeName == "" {
			name, err := provision(ctx, c, pvc)
			if err != nil {
				return made, err
			}
			if name == "" {
				continue
			}
			made = append(made, &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "PersistentVolume",
				"metadata": map[string]any{"name": name}}})
			if pvc, err = core.PersistentVolumeClaims(pvc.Namespace).Get(ctx, pvc.Name, metav1.GetOptions{}); err != nil {
				return made, err
			}
		}
		pv, err := core.PersistentVolumes().Get(ctx, pvc.Spec.VolumeName, metav1.GetOptions{})
		if err != nil {
			continue // not (yet) there: the controller would wait too
		}
		if r := pv.Spec.ClaimRef; r != nil && (r.Namespace != pvc.Namespace || r.Name != pvc.Name || (r.UID != "" && r.UID != pvc.UID)) {
			continue
		}
		pv.Spec.ClaimRef = &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID}
		if pv, err = core.PersistentVolumes().Update(ctx, pv, metav1.UpdateOptions{}); err != nil {
			return made, fmt.Errorf("binding PersistentVolume %s: %v", pv.Name, err)
		}
		pv.Status.Phase = corev1.VolumeBound
		if _, err := core.PersistentVolumes().UpdateStatus(ctx, pv, metav1.UpdateOptions{}); err != nil {
			return made, fmt.Errorf("binding PersistentVolume %s: %v", pv.Name, err)
		}
		pvc.Status.Phase = corev1.ClaimBound
		if _, err := core.PersistentVolumeClaims(pvc.Namespace).UpdateStatus(ctx, pvc, metav1.UpdateOptions{}); err != nil {
			return made, fmt.Errorf("binding PersistentVolumeClaim %s/%s: %v", pvc.Namespace, pvc.Name, err)
		}
	}
	return made, nil
}

// bindClaims binds as BindClaims does; the server's warnings about it are no admission's.
func (c *Clients) bindClaims(ctx context.Context) ([]*unstructured.Unstructured, error) {
	made, err := BindClaims(ctx, c.Typed)
	c.Warnings.Take()
	return made, err
}

// provision does what a CSI external-provisioner does for a claim of its class: a volume of the
// class's driver with a handle of its own, sized and moded as the claim asks, named on the claim.
// A claim without a class (and no default) or of an in-tree provisioner stays Pending: none runs.
func provision(ctx context.Context, c kubernetes.Interface, pvc *corev1.PersistentVolumeClaim) (string, error) {
	class, err := classOf(ctx, c, pvc)
	if err != nil || class == nil || strings.HasPrefix(class.Provisioner, "kubernetes.io/") {
		return "", err
	}
	// Named after the claim, not its uid (as a provisioner would): a refusal message names the volume,
	// and the generated report must come out the same from run to run.
	name := "pvc-" + pvc.Namespace + "-" + pvc.Name
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:         corev1.ResourceList{corev1.ResourceStorage: pvc.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:      pvc.Spec.AccessModes,
			VolumeMode:       pvc.Spec.VolumeMode,
			StorageClassName: class.Name,
			ClaimRef:         &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID},
			PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{
				Driver: class.Provisioner, VolumeHandle: name}},
		},
	}
	if _, err := c.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil {
		return "", fmt.Errorf("provisioning %s for PersistentVolumeClaim %s/%s: %v", name, pvc.Namespace, pvc.Name, err)
	}
	pvc.Spec.VolumeName = name
	if _, err := c.CoreV1().PersistentVolumeClaims(pvc.Namespace).Update(ctx, pvc, metav1.UpdateOptions{}); err != nil {
		return name, fmt.Errorf("provisioning %s for PersistentVolumeClaim %s/%s: %v", name, pvc.Namespace, pvc.Name, err)
	}
	return name, nil
}

// classOf is the claim's StorageClass, or the default one when it names none, as the API server
// defaults it; nil when there is none.
func classOf(ctx context.Context, c kubernetes.Interface, pvc *corev1.PersistentVolumeClaim) (*storagev1.StorageClass, error) {
	classes, err := c.StorageV1().StorageClasses().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var defaults []*storagev1.StorageClass
	for i := range classes.Items {
		sc := &classes.Items[i]
		if pvc.Spec.StorageClassName != nil && *pvc.Spec.StorageClassName == sc.Name {
			return sc, nil
		}
		if sc.Annotations["storageclass.kubernetes.io/is-default-class"] == "true" {
			defaults = append(defaults, sc)
		}
	}
	if pvc.Spec.StorageClassName != nil || len(defaults) == 0 {
		return nil, nil
	}
	return defaults[0], nil
}
