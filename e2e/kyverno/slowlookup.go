package kyverno

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/selmount/selmount/e2e/cluster"
)

// podList matches a LIST of Pods, cluster-wide or in one namespace: the lookups selmount's policies
// make on every Pod admission.
var podList = regexp.MustCompile(`^/api/v1/(namespaces/[^/]+/)?pods$`)

// LookupDelay stands between Kyverno and the API server on loopback and, while on, holds each LIST
// of Pods (not a watch) for Delay before passing it on: an API server slow to answer the policies'
// lookups, as under load or with a slow etcd.
type LookupDelay struct {
	URL   string
	Delay time.Duration
	on    atomic.Bool
	held  atomic.Int64
	srv   *http.Server
}

// On starts or stops holding lookups.
func (d *LookupDelay) On(on bool) { d.on.Store(on) }

// Held is how many lookups were held so far.
func (d *LookupDelay) Held() int64 { return d.held.Load() }

// isLookup is true for a request the delay holds.
func isLookup(r *http.Request) bool {
	return r.Method == http.MethodGet && podList.MatchString(r.URL.Path) && r.URL.Query().Get("watch") != "true"
}

// StartLookupDelay serves the proxy with the server's own certificate (its SAN is 127.0.0.1), so a
// kubeconfig differs from the server's only in the port. It stops when the test ends.
func StartLookupDelay(t cluster.TB, s *cluster.Server, delay time.Duration) (*LookupDelay, error) {
	target, err := url.Parse(s.URL)
	if err != nil {
		return nil, err
	}
	caPEM, err := os.ReadFile(s.Creds.CertFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("%s: no certificate", s.Creds.CertFile)
	}
	cert, err := tls.LoadX509KeyPair(s.Creds.CertFile, s.Creds.KeyFile)
	if err != nil {
		return nil, err
	}
	proxy := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { pr.SetURL(target); pr.Out.Host = target.Host },
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ForceAttemptHTTP2: true},
		FlushInterval: -1, // watches stream
	}
	d := &LookupDelay{Delay: delay}
	d.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if d.on.Load() && isLookup(r) {
				d.held.Add(1)
				select {
				case <-time.After(d.Delay):
				case <-r.Context().Done():
					return
				}
			}
			proxy.ServeHTTP(w, r)
		}),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d.URL = "https://" + l.Addr().String()
	go func() { _ = d.srv.ServeTLS(l, "", "") }()
	t.Cleanup(func() {
		d.On(false)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := d.srv.Shutdown(ctx); err != nil {
			_ = d.srv.Close()
		}
	})
	return d, nil
}
