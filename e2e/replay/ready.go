package replay

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// readyTimeout bounds the wait for freshly applied policies to take effect: the admission plugins
// load them through informers and compile them asynchronously.
const readyTimeout = 90 * time.Second

// probeNamespace is opted out, so that a dry-run Pod there shows both the mutation and the checks.
const probeNamespace = "selmount-e2e-probe"

// WaitForPolicies returns once a dry-run Pod in an opted-out namespace comes back mutated and with a
// SELINUX-003 message (the checks compiled and bound), or fails after readyTimeout. Where the server
// drops the field (DropsChangePolicy) the mutation cannot show, and the checks alone are waited for;
// for the webhook, the mutation alone.
func (c *Clients) WaitForPolicies(ctx context.Context) error {
	nss := c.Typed.CoreV1().Namespaces()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: probeNamespace, Labels: map[string]string{"selmount.io/change-policy": "Recursive"}}}
	if _, err := nss.Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	defer func() { _ = c.removeNamespace(context.WithoutCancel(ctx), probeNamespace) }()
	deadline := time.Now().Add(readyTimeout)
	last := ""
	for {
		c.Warnings.Take()
		out, err := c.Typed.CoreV1().Pods(probeNamespace).Create(ctx, probePod(), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		texts := c.Warnings.Take()
		if err != nil {
			texts = append(texts, err.Error())
		}
		mutated := err == nil && (c.DropsChangePolicy || out.Spec.SecurityContext != nil && out.Spec.SecurityContext.SELinuxChangePolicy != nil)
		checked := len(RulesOfMessages(texts...)) > 0 || (c.Webhook != "" && len(WebhookRuleIDs(texts...)) > 0)
		// Under overlays/deny the probe is refused by the errors policy: that too proves it runs.
		if (mutated || err != nil) && checked {
			return nil
		}
		// The webhook's answers come from the model, which finds nothing wrong with the probe under
		// some profiles (SELinuxMountReadWriteOncePod off: no volume is mounted with a context, so no
		// SELINUX-003). Its mutation proves the registration is in effect; the replay settles each
		// compared admission against the model anyway (settle).
		if c.Webhook != "" && mutated {
			return nil
		}
		last = fmt.Sprintf("mutated=%v messages=%q err=%v", mutated, strings.Join(texts, " | "), err)
		if time.Now().After(deadline) {
			return fmt.Errorf("policies not effective after %s: %s", readyTimeout, last)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// probePod has two containers mounting one claim with different levels: SELINUX-003 on every version.
func probePod() *corev1.Pod {
	c := func(name, level string) corev1.Container {
		return corev1.Container{Name: name, Image: "registry.example/probe:1", VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
			SecurityContext: &corev1.SecurityContext{SELinuxOptions: &corev1.SELinuxOptions{Level: level}}}
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "probe", Namespace: probeNamespace},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{c("a", "s0:c1,c2"), c("b", "s0:c3,c4")},
			Volumes:    []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}},
		},
	}
}
