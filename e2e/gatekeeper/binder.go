package gatekeeper

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"
)

// Binder does what the PV controller and a CSI external-provisioner would do for the claims a
// scenario creates; no controller manager runs here, so without it every claim stays Pending. The
// model reads a claim without status as one about to be bound (to the PV it names, or to a volume
// provisioned from its class), and the Rego reads a Pending claim of a real cluster as unresolved:
// the replay binds claims so that the server holds the cluster the model describes.
type Binder struct {
	Client kubernetes.Interface
	// waiting are claims naming a PV not created yet, "ns/name" → scenario claimRef uid.
	waiting map[string]string
	// Created are the PVs Binder provisioned, for cleanup.
	Created []*unstructured.Unstructured
}

// ClaimCreated binds the claim just stored, given its metadata.uid and status.phase in the scenario:
// a claim the scenario shows other than Bound (a cluster dump's Pending one) is left as it is.
func (b *Binder) ClaimCreated(ctx context.Context, ns, name, scenarioUID, scenarioPhase string) error {
	if scenarioPhase != "" && scenarioPhase != string(corev1.ClaimBound) {
		return nil
	}
	pvc, err := b.Client.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if pvc.Spec.VolumeName == "" {
		return b.provision(ctx, pvc)
	}
	pv, err := b.Client.CoreV1().PersistentVolumes().Get(ctx, pvc.Spec.VolumeName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		if b.waiting == nil {
			b.waiting = map[string]string{}
		}
		b.waiting[ns+"/"+name] = scenarioUID
		return nil
	}
	if err != nil {
		return err
	}
	return b.bind(ctx, pvc, pv, scenarioUID)
}

// VolumeCreated binds the claims that named this PV before it existed.
func (b *Binder) VolumeCreated(ctx context.Context, pvName string) error {
	for key, uid := range b.waiting {
		ns, name, _ := strings.Cut(key, "/")
		pvc, err := b.Client.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil || pvc.Spec.VolumeName != pvName {
			continue
		}
		pv, err := b.Client.CoreV1().PersistentVolumes().Get(ctx, pvName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		delete(b.waiting, key)
		if err := b.bind(ctx, pvc, pv, uid); err != nil {
			return err
		}
	}
	return nil
}

// bind completes a pre-bound claim as the PV controller does: the PV's claimRef gets the claim's uid
// and the claim becomes Bound, unless the PV is reserved for another claim (it then stays Pending).
func (b *Binder) bind(ctx context.Context, pvc *corev1.PersistentVolumeClaim, pv *corev1.PersistentVolume, scenarioUID string) error {
	if ref := pv.Spec.ClaimRef; ref != nil {
		if ref.Namespace != pvc.Namespace || ref.Name != pvc.Name || (ref.UID != "" && string(ref.UID) != scenarioUID) {
			return nil
		}
	}
	pv.Spec.ClaimRef = &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID}
	if _, err := b.Client.CoreV1().PersistentVolumes().Update(ctx, pv, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("bind PV %s: %v", pv.Name, err)
	}
	return b.bound(ctx, pvc)
}

func (b *Binder) bound(ctx context.Context, pvc *corev1.PersistentVolumeClaim) error {
	pvc.Status.Phase = corev1.ClaimBound
	pvc.Status.AccessModes = pvc.Spec.AccessModes
	pvc.Status.Capacity = pvc.Spec.Resources.Requests
	if _, err := b.Client.CoreV1().PersistentVolumeClaims(pvc.Namespace).UpdateStatus(ctx, pvc, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("bind claim %s/%s: %v", pvc.Namespace, pvc.Name, err)
	}
	return nil
}

// provision creates the PV a CSI external-provisioner would for a claim of a class with a CSI
// provisioner (pvc-<uid>, the class's driver and mount options) and binds the claim to it. A claim
// without such a class stays Pending, as it would without a provisioner.
func (b *Binder) provision(ctx context.Context, pvc *corev1.PersistentVolumeClaim) error {
	if pvc.Spec.StorageClassName == nil || *pvc.Spec.StorageClassName == "" {
		return nil
	}
	class, err := b.Client.StorageV1().StorageClasses().Get(ctx, *pvc.Spec.StorageClassName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if strings.HasPrefix(class.Provisioner, "kubernetes.io/") {
		return nil // an in-tree plugin: not a CSI provisioner's volume
	}
	name := "pvc-" + string(pvc.UID)
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: name, Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": class.Provisioner}},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      pvc.Spec.Resources.Requests,
			AccessModes:                   pvc.Spec.AccessModes,
			VolumeMode:                    pvc.Spec.VolumeMode,
			StorageClassName:              class.Name,
			MountOptions:                  class.MountOptions,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			ClaimRef:                      &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID},
			PersistentVolumeSource:        corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: class.Provisioner, VolumeHandle: name}},
		},
	}
	created, err := b.Client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("provision %s for claim %s/%s: %v", name, pvc.Namespace, pvc.Name, err)
	}
	b.Created = append(b.Created, &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": map[string]any{"name": created.Name}}})
	pvc.Spec.VolumeName = name
	updated, err := b.Client.CoreV1().PersistentVolumeClaims(pvc.Namespace).Update(ctx, pvc, metav1.UpdateOptions{})
	if err != nil {
		return fmt.Errorf("claim %s/%s: volumeName: %v", pvc.Namespace, pvc.Name, err)
	}
	return b.bound(ctx, updated)
}
