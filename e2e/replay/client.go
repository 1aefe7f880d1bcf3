// Package replay sends a scenario's objects to a real kube-apiserver in admission order and reads
// back what admission did to each Pod: its seLinuxChangePolicy, the warnings, or the refusal.
package replay

import (
	"net/http"
	"os"
	"sync"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// Warnings collects the warning headers of the requests sent since the last Take. The replay sends
// one request at a time, so the warnings taken after a create are that create's.
type Warnings struct {
	mu   sync.Mutex
	text []string
}

// HandleWarningHeader implements rest.WarningHandler.
func (w *Warnings) HandleWarningHeader(code int, agent, text string) {
	if code != 299 || text == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.text = append(w.text, text)
}

// Take returns the collected warnings and forgets them.
func (w *Warnings) Take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.text
	w.text = nil
	return out
}

// Clients talk to one API server as the admin.
type Clients struct {
	Typed    kubernetes.Interface
	Dynamic  dynamic.Interface
	Mapper   *restmapper.DeferredDiscoveryRESTMapper
	Warnings *Warnings
	// DropsChangePolicy is true on a server with SELinuxChangePolicy off: it drops
	// spec.securityContext.seLinuxChangePolicy after admission, so no mutation of it can be seen.
	DropsChangePolicy bool
	// Audit is the server's audit log, where each Pod admission's audit event is read.
	Audit *AuditLog
	// Policies are the installed bundle's ValidatingAdmissionPolicies (LoadPolicies after applying).
	Policies *Policies
	// ServerLog is the kube-apiserver's log, where it says why it replaced a policy's message.
	ServerLog string
	// Webhook names the validating webhook of `selmount webhook` when it, not a bundle, answers the
	// admissions: its messages, audit annotation and every rule are compared then.
	Webhook string
}

// NewClients builds clients for the server at url, trusting caFile and sending token.
func NewClients(url, caFile, token string) (*Clients, error) {
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	w := &Warnings{}
	cfg := &rest.Config{Host: url, BearerToken: token, TLSClientConfig: rest.TLSClientConfig{CAData: ca},
		WarningHandler: w, QPS: 100, Burst: 200, Timeout: 0}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return auditIDRecorder{rt} })
	typed, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Clients{Typed: typed, Dynamic: dyn, Mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disc)), Warnings: w}, nil
}
