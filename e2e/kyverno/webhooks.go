package kyverno

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// policyWebhook is the configuration through which Kyverno validates its own policies: once it is
// registered, `kubectl apply` of a policy is checked by the running controller.
const policyWebhook = "kyverno-policy-validating-webhook-cfg"

// Hook is one registered webhook and where the API server sends its requests.
type Hook struct {
	Config, Name, URL string
	FailurePolicy     string
	TimeoutSeconds    int32
}

// Webhooks lists the webhooks of every webhook configuration on the server. A webhook that calls a
// Service instead of a URL is returned with URL "service:<ns>/<name>".
func Webhooks(ctx context.Context, c kubernetes.Interface) ([]Hook, error) {
	ar := c.AdmissionregistrationV1()
	vs, err := ar.ValidatingWebhookConfigurations().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	ms, err := ar.MutatingWebhookConfigurations().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []Hook
	for _, v := range vs.Items {
		for _, w := range v.Webhooks {
			out = append(out, hook(v.Name, w.Name, w.ClientConfig, w.FailurePolicy, w.TimeoutSeconds))
		}
	}
	for _, m := range ms.Items {
		for _, w := range m.Webhooks {
			out = append(out, hook(m.Name, w.Name, w.ClientConfig, w.FailurePolicy, w.TimeoutSeconds))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Config+out[i].Name < out[j].Config+out[j].Name })
	return out, nil
}

func hook(config, name string, cc admissionv1.WebhookClientConfig, fp *admissionv1.FailurePolicyType, timeout *int32) Hook {
	h := Hook{Config: config, Name: name}
	switch {
	case cc.URL != nil:
		h.URL = *cc.URL
	case cc.Service != nil:
		h.URL = "service:" + cc.Service.Namespace + "/" + cc.Service.Name
	}
	if fp != nil {
		h.FailurePolicy = string(*fp)
	}
	if timeout != nil {
		h.TimeoutSeconds = *timeout
	}
	return h
}

// OffLoopback returns the webhooks that would send requests anywhere but the controller's port on
// 127.0.0.1.
func OffLoopback(hooks []Hook, port int) []Hook {
	prefix := fmt.Sprintf("https://127.0.0.1:%d/", port)
	var out []Hook
	for _, h := range hooks {
		if !strings.HasPrefix(h.URL, prefix) {
			out = append(out, h)
		}
	}
	return out
}

// WaitForWebhooks returns the webhooks once the controller has registered its policy webhook, or
// fails when the process ends or ctx expires.
func WaitForWebhooks(ctx context.Context, c kubernetes.Interface, ctl *Controller) ([]Hook, error) {
	for {
		hooks, err := Webhooks(ctx, c)
		if err == nil {
			for _, h := range hooks {
				if h.Config == policyWebhook {
					return hooks, nil
				}
			}
		}
		select {
		case <-ctl.Exited():
			return nil, fmt.Errorf("kyverno exited before registering %s", policyWebhook)
		case <-ctx.Done():
			return nil, fmt.Errorf("no %s registered: %v (last error %v)", policyWebhook, ctx.Err(), err)
		case <-time.After(time.Second):
		}
	}
}

// isSelmount is true for a webhook Kyverno registered for selmount's policies: its path names them.
func isSelmount(h Hook) bool { return strings.Contains(h.URL, "/selmount-") }

// selmountTimeout is the longest timeoutSeconds of selmount's webhooks, 0 when there are none: how
// long the API server waits for Kyverno before failurePolicy decides.
func selmountTimeout(hooks []Hook) int32 {
	var limit int32
	for _, h := range hooks {
		if isSelmount(h) {
			limit = max(limit, h.TimeoutSeconds)
		}
	}
	return limit
}
