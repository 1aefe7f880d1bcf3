package gatekeeper

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
)

func claim(name, volume, class string) *corev1.PersistentVolumeClaim {
	c := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name, UID: types.UID("uid-" + name)},
		Spec: corev1.PersistentVolumeClaimSpec{VolumeName: volume, AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}}
	if class != "" {
		c.Spec.StorageClassName = &class
	}
	return c
}

func TestBinderProvisionsFromACSIClass(t *testing.T) {
	ctx := context.Background()
	cs := fake.NewClientset(claim("data", "", "fast"), &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "fast"}, Provisioner: "rbd.csi.example.com", MountOptions: []string{"context=\"x\""}})
	b := &Binder{Client: cs}
	if err := b.ClaimCreated(ctx, "shop", "data", "", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := cs.CoreV1().PersistentVolumeClaims("shop").Get(ctx, "data", metav1.GetOptions{})
	if got.Status.Phase != corev1.ClaimBound || got.Spec.VolumeName != "pvc-uid-data" {
		t.Fatalf("claim %s, volume %q", got.Status.Phase, got.Spec.VolumeName)
	}
	pv, err := cs.CoreV1().PersistentVolumes().Get(ctx, "pvc-uid-data", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pv.Spec.CSI == nil || pv.Spec.CSI.Driver != "rbd.csi.example.com" || pv.Spec.ClaimRef.UID != "uid-data" || len(pv.Spec.MountOptions) != 1 {
		t.Errorf("PV %+v", pv.Spec)
	}
	if len(b.Created) != 1 {
		t.Errorf("%d PVs to clean up, want 1", len(b.Created))
	}
}

func TestBinderBindsAPreBoundClaimOnceItsPVExists(t *testing.T) {
	ctx := context.Background()
	cs := fake.NewClientset(claim("data", "pv-1", ""))
	b := &Binder{Client: cs}
	if err := b.ClaimCreated(ctx, "shop", "data", "scenario-uid", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := cs.CoreV1().PersistentVolumeClaims("shop").Get(ctx, "data", metav1.GetOptions{}); got.Status.Phase == corev1.ClaimBound {
		t.Fatal("bound before its PV exists")
	}
	pv := &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-1"},
		Spec: corev1.PersistentVolumeSpec{ClaimRef: &corev1.ObjectReference{Namespace: "shop", Name: "data", UID: "scenario-uid"}}}
	if _, err := cs.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.VolumeCreated(ctx, "pv-1"); err != nil {
		t.Fatal(err)
	}
	got, _ := cs.CoreV1().PersistentVolumeClaims("shop").Get(ctx, "data", metav1.GetOptions{})
	stored, _ := cs.CoreV1().PersistentVolumes().Get(ctx, "pv-1", metav1.GetOptions{})
	if got.Status.Phase != corev1.ClaimBound || stored.Spec.ClaimRef.UID != "uid-data" {
		t.Errorf("claim %s, claimRef uid %q (want the stored claim's)", got.Status.Phase, stored.Spec.ClaimRef.UID)
	}
}

func TestBinderLeavesClaimsBoundElsewhereOrPending(t *testing.T) {
	ctx := context.Background()
	other := &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-1"},
		Spec: corev1.PersistentVolumeSpec{ClaimRef: &corev1.ObjectReference{Namespace: "shop", Name: "other"}}}
	cs := fake.NewClientset(claim("data", "pv-1", ""), claim("dump", "", "fast"), other)
	b := &Binder{Client: cs}
	if err := b.ClaimCreated(ctx, "shop", "data", "", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.ClaimCreated(ctx, "shop", "dump", "", "Pending"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"data", "dump"} {
		if got, _ := cs.CoreV1().PersistentVolumeClaims("shop").Get(ctx, name, metav1.GetOptions{}); got.Status.Phase == corev1.ClaimBound {
			t.Errorf("claim %s bound", name)
		}
	}
}
