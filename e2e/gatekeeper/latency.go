package gatekeeper

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// perNamespace is how many filler Pods share a namespace, as in harness/engines/gatekeeper's benchmark.
const perNamespace = 100

// FillPods creates Pods until n exist in namespaces bench-000…, each mounting its own claim; from
// have on (the Pods an earlier call made). Creation is bounded by ctx and runs 4 requests at a time.
func FillPods(ctx context.Context, c kubernetes.Interface, have, n int) error {
	for ns := have / perNamespace; ns*perNamespace < n; ns++ {
		name := fmt.Sprintf("bench-%03d", ns)
		if _, err := c.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("namespace %s: %v", name, err)
		}
	}
	jobs := make(chan int)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if _, err := c.CoreV1().Pods(fmt.Sprintf("bench-%03d", i/perNamespace)).Create(ctx, fillPod(i), metav1.CreateOptions{}); err != nil {
					errs <- fmt.Errorf("filler Pod %d: %v", i, err)
					return
				}
			}
		}()
	}
	var err error
feed:
	for i := have; i < n; i++ {
		select {
		case jobs <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

func fillPod(i int) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("filler-%05d", i)},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: "registry.example/app:1",
				VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}}}},
			Volumes: []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: fmt.Sprintf("data-%05d", i)}}}},
		},
	}
}

// Percentile is the p-th percentile (0 < p ≤ 1) of ds, nearest rank.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(p*float64(len(s)) + 0.999999)
	if k < 1 {
		k = 1
	}
	return s[k-1]
}
