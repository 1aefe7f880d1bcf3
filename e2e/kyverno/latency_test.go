package kyverno

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/selmount/selmount/e2e/replay"
)

// BenchmarkOnePodAdmission measures the admission of one Pod through Kyverno's running controller
// with kyverno/ installed, in a cluster of 100 and of 10,000 Pods laid out as the in-process
// benchmark's (namespaces of 100 Pods, 10 claims and PVs, 10 Pods per claim): a server-side dry-run
// create of a Pod sharing a claim, b.N times (-benchtime=50x), reported as p50 and p99. The last
// case raises the controller's client rate limit (--clientRateLimitQPS, 100 in the release, and its
// burst) to see whether the policies' lookups queue behind it.
//
//	cd e2e && go test ./kyverno -run '^$' -bench OnePodAdmission -benchtime 50x
func BenchmarkOnePodAdmission(b *testing.B) {
	for _, c := range []struct {
		pods  int
		flags []string
	}{
		{100, nil},
		{10000, nil},
		{100, []string{"--clientRateLimitQPS=10000", "--clientRateLimitBurst=10000"}},
	} {
		name := fmt.Sprintf("pods=%d", c.pods)
		if c.flags != nil {
			name += "/qps=10000"
		}
		b.Run(name, func(b *testing.B) {
			e := start(b, c.flags...)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
			defer cancel()
			if err := populate(ctx, e.clients.Typed, c.pods/100); err != nil {
				b.Fatal(err)
			}
			if err := WaitServing(ctx, e.kubectl, e.root, "kyverno/", e.clients.Typed, e.controller); err != nil {
				b.Fatal(err)
			}
			if _, err := Install(e.kubectl, e.root, "kyverno/"); err != nil {
				b.Fatal(err)
			}
			pod := benchPod("bench-0", "probe", "claim-0")
			durations := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				began := time.Now()
				if _, err := e.clients.Typed.CoreV1().Pods("bench-0").Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}); err != nil {
					b.Fatal(err)
				}
				durations = append(durations, time.Since(began))
			}
			b.StopTimer()
			sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
			b.ReportMetric(ms(durations[len(durations)/2]), "p50-ms")
			b.ReportMetric(ms(durations[(len(durations)*99)/100]), "p99-ms")
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// populate creates n namespaces of 100 Pods, 10 claims bound to 10 CSI PVs, 10 Pods per claim.
func populate(ctx context.Context, c kubernetes.Interface, n int) error {
	csi := "csi.bench.example.com"
	on := true
	driver := &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: csi}, Spec: storagev1.CSIDriverSpec{SELinuxMount: &on}}
	if _, err := c.StorageV1().CSIDrivers().Create(ctx, driver, metav1.CreateOptions{}); err != nil {
		return err
	}
	for ns := 0; ns < n; ns++ {
		name := fmt.Sprintf("bench-%d", ns)
		if _, err := c.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
			return err
		}
		for k := 0; k < 10; k++ {
			claim, pvName := fmt.Sprintf("claim-%d", k), fmt.Sprintf("pv-%d-%d", ns, k)
			pv := &corev1.PersistentVolume{ObjectMeta: metav1.ObjectMeta{Name: pvName}, Spec: corev1.PersistentVolumeSpec{
				Capacity:               corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
				AccessModes:            []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				ClaimRef:               &corev1.ObjectReference{Namespace: name, Name: claim},
				PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: csi, VolumeHandle: pvName}}}}
			if _, err := c.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{}); err != nil {
				return err
			}
			pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: claim, Namespace: name}, Spec: corev1.PersistentVolumeClaimSpec{
				AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, VolumeName: pvName,
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}}}}
			if _, err := c.CoreV1().PersistentVolumeClaims(name).Create(ctx, pvc, metav1.CreateOptions{}); err != nil {
				return err
			}
			for p := 0; p < 10; p++ {
				if _, err := c.CoreV1().Pods(name).Create(ctx, benchPod(name, fmt.Sprintf("pod-%d-%d", k, p), claim), metav1.CreateOptions{}); err != nil {
					return err
				}
			}
		}
	}
	_, err := replay.BindClaims(ctx, c)
	return err
}

// benchPod mounts claim with its own level, so that every Pod sharing the claim conflicts.
func benchPod(ns, name, claim string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Spec: corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{SELinuxOptions: &corev1.SELinuxOptions{Level: "s0:c1," + fmt.Sprintf("c%d", 2+len(name)%500)}},
		Containers:      []corev1.Container{{Name: "c", Image: "registry.example/c:1", VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}},
		Volumes:         []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim}}}},
	}}
}
