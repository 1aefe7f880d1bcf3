package gatekeeper

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/selmount/selmount/e2e/replay"
)

// readyTimeout bounds the wait for the constraints and mutators to take effect in the webhook.
const readyTimeout = 2 * time.Minute

const probeNamespace = "selmount-gatekeeper-probe"

// WaitReady returns once a dry-run Pod in an opted-out namespace comes back mutated by the Assign and
// with a SELINUX-003 violation (warned, or refused under overlays/deny): the webhooks answer with the
// bundle loaded. Both webhooks fail open (failurePolicy Ignore), so before that a Pod passes unseen.
func WaitReady(ctx context.Context, c *replay.Clients) error {
	nss := c.Typed.CoreV1().Namespaces()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: probeNamespace, Labels: map[string]string{"selmount.io/change-policy": "Recursive"}}}
	if _, err := nss.Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	defer func() { _ = nss.Delete(context.WithoutCancel(ctx), probeNamespace, metav1.DeleteOptions{}) }()
	deadline := time.Now().Add(readyTimeout)
	for {
		c.Warnings.Take()
		out, err := c.Typed.CoreV1().Pods(probeNamespace).Create(ctx, probePod(), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		texts := c.Warnings.Take()
		if err != nil {
			texts = append(texts, err.Error())
		}
		rules, denied := Rules(texts...)
		mutated := err == nil && out.Spec.SecurityContext != nil && out.Spec.SecurityContext.SELinuxChangePolicy != nil
		if (mutated || denied) && len(rules) > 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("gatekeeper/ not effective after %s: mutated=%v messages=%q", readyTimeout, mutated, strings.Join(texts, " | "))
		}
		time.Sleep(time.Second)
	}
}

// probePod has two containers mounting one claim with different levels: SELINUX-003.
func probePod() *corev1.Pod { return probePodIn(probeNamespace) }

func probePodIn(ns string) *corev1.Pod {
	c := func(name, level string) corev1.Container {
		return corev1.Container{Name: name, Image: "registry.example/probe:1", VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
			SecurityContext: &corev1.SecurityContext{SELinuxOptions: &corev1.SELinuxOptions{Level: level}}}
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "probe", Namespace: ns},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{c("a", "s0:c1,c2"), c("b", "s0:c3,c4")},
			Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}},
		},
	}
}
