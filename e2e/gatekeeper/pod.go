package gatekeeper

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ManagerPod is the Pod the manager believes it runs in (POD_NAME): Gatekeeper reads it to own its
// per-Pod status objects. No kubelet runs it; it carries the release's container security context,
// which the release's namespace (Pod Security "restricted") requires.
func ManagerPod(release string) *corev1.Pod {
	no, yes, uid := false, true, int64(1000)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: podName, Namespace: Namespace, Labels: map[string]string{"control-plane": "controller-manager"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "manager", Image: "openpolicyagent/gatekeeper:" + release,
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: &no, RunAsNonRoot: &yes, RunAsUser: &uid,
				Capabilities:   &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
			},
		}}},
	}
}
