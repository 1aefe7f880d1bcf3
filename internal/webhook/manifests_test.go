package webhook

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/internal/live"
	"github.com/selmount/selmount/policies/cluster"
)

func built(t *testing.T, dir string) map[string]any {
	t.Helper()
	name, data, err := kustomize.Build(dir)
	require.NoError(t, err)
	objs, err := cluster.Decode(name, data)
	require.NoError(t, err)
	out := map[string]any{}
	for _, o := range objs {
		var typed any
		switch o.Kind {
		case "MutatingWebhookConfiguration":
			typed = &admissionregistrationv1.MutatingWebhookConfiguration{}
		case "ValidatingWebhookConfiguration":
			typed = &admissionregistrationv1.ValidatingWebhookConfiguration{}
		case "Deployment":
			typed = &appsv1.Deployment{}
		case "ClusterRole":
			typed = &rbacv1.ClusterRole{}
		default:
			out[o.Kind] = o
			continue
		}
		require.NoError(t, yamlInto(o.Raw, typed))
		out[o.Kind] = typed
	}
	return out
}

// The manifests keep the promises README.md makes: Pods are never blocked by the webhook (failure
// policy Ignore, a short timeout), its own namespace and kube-system are never sent to it, the
// mutation matches Pod CREATE only, two replicas with a disruption budget, probes on the served
// paths, and RBAC that lists and watches what the cache reads, nothing more.
func TestManifests(t *testing.T) {
	objs := built(t, "../../webhook")
	dep := objs["Deployment"].(*appsv1.Deployment)
	ns := dep.Namespace
	require.Equal(t, "selmount-system", ns)
	require.NotNil(t, dep.Spec.Replicas)
	assert.Equal(t, int32(2), *dep.Spec.Replicas)
	assert.Contains(t, objs, "PodDisruptionBudget")
	assert.Contains(t, objs, "Service")
	c := dep.Spec.Template.Spec.Containers[0]
	assert.Equal(t, "/readyz", c.ReadinessProbe.HTTPGet.Path)
	assert.Equal(t, "/healthz", c.LivenessProbe.HTTPGet.Path)
	version, err := os.ReadFile("../../VERSION")
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(c.Image, ":v"+strings.TrimSpace(string(version))), c.Image)
	assert.Equal(t, "webhook", c.Args[0])

	excluded := func(sel []string) {
		assert.Contains(t, sel, "kube-system")
		assert.Contains(t, sel, ns)
	}
	mwc := objs["MutatingWebhookConfiguration"].(*admissionregistrationv1.MutatingWebhookConfiguration)
	for _, w := range mwc.Webhooks {
		assert.Equal(t, admissionregistrationv1.Ignore, *w.FailurePolicy)
		assert.LessOrEqual(t, *w.TimeoutSeconds, int32(10))
		assert.Equal(t, "/mutate", *w.ClientConfig.Service.Path)
		assert.Equal(t, ns, w.ClientConfig.Service.Namespace)
		excluded(w.NamespaceSelector.MatchExpressions[0].Values)
		// Only Pods, on CREATE only: nothing stored is ever changed on UPDATE (workloads' Pods are
		// mutated when their controllers create them).
		for _, r := range w.Rules {
			assert.Equal(t, []string{"pods"}, r.Resources)
			assert.Equal(t, []admissionregistrationv1.OperationType{admissionregistrationv1.Create}, r.Operations, "Pods are mutated on CREATE only")
		}
	}
	vwc := objs["ValidatingWebhookConfiguration"].(*admissionregistrationv1.ValidatingWebhookConfiguration)
	for _, w := range vwc.Webhooks {
		assert.Equal(t, admissionregistrationv1.Ignore, *w.FailurePolicy)
		assert.Equal(t, "/validate", *w.ClientConfig.Service.Path)
		excluded(w.NamespaceSelector.MatchExpressions[0].Values)
		assert.Contains(t, w.Rules[0].Resources, "pods/ephemeralcontainers")
	}

	role := objs["ClusterRole"].(*rbacv1.ClusterRole)
	for _, r := range role.Rules {
		assert.Equal(t, []string{"list", "watch"}, r.Verbs)
	}
	assert.Equal(t, live.Resources(), live.Granted(role.Rules))

	cm := built(t, "../../webhook/overlays/cert-manager")
	assert.Equal(t, "selmount-system/selmount-webhook", cm["MutatingWebhookConfiguration"].(*admissionregistrationv1.MutatingWebhookConfiguration).Annotations["cert-manager.io/inject-ca-from"])
	assert.Equal(t, "selmount-system/selmount-webhook", cm["ValidatingWebhookConfiguration"].(*admissionregistrationv1.ValidatingWebhookConfiguration).Annotations["cert-manager.io/inject-ca-from"])
	assert.Contains(t, cm, "Certificate")
}

func yamlInto(raw []byte, v any) error { return json.Unmarshal(raw, v) }
