package replay

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

func claim(name, class, volume string) *corev1.PersistentVolumeClaim {
	pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID("uid-" + name)},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, VolumeName: volume,
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}}
	if class != "" {
		pvc.Spec.StorageClassName = &class
	}
	return pvc
}

// As the controllers would: a claim of a CSI class is provisioned and bound, a claim naming a free
// volume is bound to it, and a claim whose volume is another's, or of no class, stays Pending.
func TestBindClaimsAsTheControllersWould(t *testing.T) {
	ctx := context.Background()
	typed := fake.NewSimpleClientset(
		&storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: "fast"}, Provisioner: "rbd.csi.example.com"},
		claim("dynamic", "fast", ""),
		claim("static", "", "pv-free"),
		claim("taken", "", "pv-other"),
		claim("classless", "", ""),
		&corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-free"}},
		&corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: "pv-other"},
			Spec: corev1.PersistentVolumeSpec{ClaimRef: &corev1.ObjectReference{Namespace: "ns", Name: "someone-else"}}},
	)
	c := &Clients{Typed: typed, Warnings: &Warnings{}}
	made, err := c.bindClaims(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(made) != 1 || made[0].GetName() != "pvc-ns-dynamic" {
		t.Fatalf("provisioned %v, want pvc-ns-dynamic", made)
	}
	pv, err := typed.CoreV1().PersistentVolumes().Get(ctx, "pvc-ns-dynamic", metav1.GetOptions{})
	if err != nil || pv.Spec.CSI == nil || pv.Spec.CSI.Driver != "rbd.csi.example.com" || pv.Spec.ClaimRef.UID != "uid-dynamic" {
		t.Fatalf("provisioned volume %+v, %v", pv, err)
	}
	phases := map[string]corev1.PersistentVolumeClaimPhase{"dynamic": corev1.ClaimBound, "static": corev1.ClaimBound, "taken": "", "classless": ""}
	for name, want := range phases {
		pvc, err := typed.CoreV1().PersistentVolumeClaims("ns").Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if pvc.Status.Phase != want {
			t.Errorf("claim %s is %q, want %q", name, pvc.Status.Phase, want)
		}
	}
	free, _ := typed.CoreV1().PersistentVolumes().Get(ctx, "pv-free", metav1.GetOptions{})
	if free.Spec.ClaimRef == nil || free.Spec.ClaimRef.UID != "uid-static" || free.Status.Phase != corev1.VolumeBound {
		t.Errorf("pv-free not bound to static: %+v", free)
	}
}
