package dumpgen

import (
	"bufio"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// sharedDriver is the one CSI driver of a shared-volume dump; it mounts with -o context.
const sharedDriver = "shared.csi.bench.example"

// WriteShared streams issue 12's worst layout as one JSON List: pods Pods on one CSI volume, reached
// through one PV and claim per namespace, each namespace with its own SELinux level (how
// multi-tenant clusters separate tenants), Pods spread over 50 nodes. Every two Pods of different
// namespaces conflict, so a per-pair report grows with pods², a grouped one with pods.
func WriteShared(w io.Writer, pods, namespaces int) error {
	if pods < 0 || namespaces <= 0 {
		return fmt.Errorf("dumpgen: want pods >= 0 and namespaces > 0, got %d and %d", pods, namespaces)
	}
	lw := &listWriter{w: bufio.NewWriterSize(w, 1<<20)}
	lw.open()
	for i := range pods {
		lw.item(sharedPod(i, namespaces))
	}
	for k := range namespaces {
		lw.item(sharedClaim(k))
	}
	for k := range namespaces {
		lw.item(sharedVolume(k))
	}
	lw.item(csiDriver(sharedDriver, ptr(true)))
	for k := range namespaces {
		lw.item(&corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("tenant-%d", k)}})
	}
	return lw.close()
}

func sharedPod(i, namespaces int) *corev1.Pod {
	k := i % namespaces
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("worker-%d", i), Namespace: fmt.Sprintf("tenant-%d", k)},
		Spec: corev1.PodSpec{
			NodeName:        fmt.Sprintf("node-%d", i%50),
			SecurityContext: &corev1.PodSecurityContext{SELinuxOptions: &corev1.SELinuxOptions{Level: fmt.Sprintf("s0:c%d,c%d", k, k+512)}},
			Containers: []corev1.Container{{Name: "app", Image: "registry.example/app:1",
				VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}},
			Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
}

func sharedClaim(k int) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolumeClaim"},
		ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: fmt.Sprintf("tenant-%d", k), UID: sharedUID(k)},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			VolumeName: fmt.Sprintf("shared-%d", k)},
		Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound},
	}
}

func sharedVolume(k int) *corev1.PersistentVolume {
	return &corev1.PersistentVolume{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "PersistentVolume"},
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("shared-%d", k)},
		Spec: corev1.PersistentVolumeSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteMany},
			PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{
				Driver: sharedDriver, VolumeHandle: "one-share-for-every-tenant"}},
			ClaimRef: &corev1.ObjectReference{Namespace: fmt.Sprintf("tenant-%d", k), Name: "data", UID: sharedUID(k)},
		},
		Status: corev1.PersistentVolumeStatus{Phase: corev1.VolumeBound},
	}
}

// sharedUID is claim k's UID, which its PV's claimRef must carry for the claim to resolve.
func sharedUID(k int) types.UID {
	return types.UID(fmt.Sprintf("00000000-0000-4000-8000-%012d", k))
}
