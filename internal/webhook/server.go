package webhook

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
)

// Handler serves /mutate, /validate, /healthz, /readyz and /metrics.
type Handler struct {
	Admitter *Admitter
	Metrics  *Metrics
	// Ready tells whether the cache has listed the cluster once; until then /readyz fails, so that
	// a rollout waits, and admissions are still answered (the failure policy lets Pods through).
	Ready func() bool
}

// Mux routes the endpoints.
func (h *Handler) Mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/mutate", func(w http.ResponseWriter, r *http.Request) { h.admit(w, r, "mutate", h.Admitter.Mutate) })
	mux.HandleFunc("/validate", func(w http.ResponseWriter, r *http.Request) { h.admit(w, r, "validate", h.Admitter.Validate) })
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !h.Ready() {
			http.Error(w, "cluster cache not synced", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_ = h.Metrics.Write(w)
	})
	return mux
}

func (h *Handler) admit(w http.ResponseWriter, r *http.Request, endpoint string, answer func(*admissionv1.AdmissionRequest) (*admissionv1.AdmissionResponse, error)) {
	start := time.Now()
	code := http.StatusOK
	defer func() { h.Metrics.observe(endpoint, code, time.Since(start)) }()
	review, err := readReview(r)
	if err != nil {
		code = http.StatusBadRequest
		http.Error(w, err.Error(), code)
		return
	}
	resp, err := answer(review.Request)
	if err != nil {
		// An object the model cannot read is answered, not failed: the API server validates it
		// itself, and a webhook error would only delay the request until the failure policy.
		resp = &admissionv1.AdmissionResponse{Allowed: true, Warnings: []string{"selmount: cannot read the object: " + oneLine(err.Error())}}
	}
	if resp.Patch != nil {
		h.Metrics.patched()
	}
	for _, warning := range resp.Warnings {
		rule, _, _ := strings.Cut(warning, ":")
		h.Metrics.warned(rule)
	}
	if !resp.Allowed {
		h.Metrics.refused()
	}
	if err := writeReview(w, review.Request, resp); err != nil {
		code = http.StatusInternalServerError
	}
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// CertReloader serves the certificate and key from files, read again when either file changes, so
// that cert-manager's renewals take effect without a restart.
type CertReloader struct {
	CertFile, KeyFile string

	mu      sync.Mutex
	cert    *tls.Certificate
	modTime time.Time
}

// GetCertificate is tls.Config's hook.
func (c *CertReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	latest, err := c.latest()
	if err != nil && c.cert == nil {
		return nil, err
	}
	if err == nil && (c.cert == nil || latest.After(c.modTime)) {
		cert, lerr := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		switch {
		case lerr == nil:
			c.cert, c.modTime = &cert, latest
		case c.cert == nil:
			return nil, lerr
		}
		// A half-written pair keeps the last good certificate until both files agree.
	}
	return c.cert, nil
}

func (c *CertReloader) latest() (time.Time, error) {
	var latest time.Time
	for _, f := range []string{c.CertFile, c.KeyFile} {
		info, err := os.Stat(f)
		if err != nil {
			return time.Time{}, err
		}
		if info.ModTime().After(latest) {
			latest = info.ModTime()
		}
	}
	return latest, nil
}

// Check loads the pair once, so that a wrong path fails at start, not at the first request.
func (c *CertReloader) Check() error {
	if _, err := c.GetCertificate(nil); err != nil {
		return errors.Join(fmt.Errorf("TLS certificate %s and key %s", c.CertFile, c.KeyFile), err)
	}
	return nil
}
