package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/selmount/selmount/internal/live"
	"github.com/selmount/selmount/internal/webhook"
	"github.com/selmount/selmount/policies/gates"
)

// webhookOptions is a parsed webhook command line.
type webhookOptions struct {
	listen, certFile, keyFile string
	kubeconfig, context       string
	profile                   string
	denyAll                   bool
}

func parseWebhookArgs(args []string, stderr io.Writer) (webhookOptions, error) {
	var o webhookOptions
	fs := flag.NewFlagSet("selmount webhook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", ":8443", "address to serve HTTPS on")
	fs.StringVar(&o.certFile, "tls-cert-file", "", "serving certificate (PEM), read again when it changes")
	fs.StringVar(&o.keyFile, "tls-private-key-file", "", "its private key (PEM)")
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster to cache (default: the Pod's service account)")
	fs.StringVar(&o.context, "context", "", "kubeconfig context")
	fs.StringVar(&o.profile, "profile", "", "Kubernetes release and feature gates the cluster runs, e.g. v1.36 (default v1.37)")
	fs.BoolVar(&o.denyAll, "deny", false, "refuse Pods with error findings in every namespace (otherwise only in namespaces labelled "+webhook.EnforceLabel+"=true)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.certFile == "" || o.keyFile == "" {
		return o, errors.New("--tls-cert-file and --tls-private-key-file are required: the API server calls webhooks over HTTPS only")
	}
	return o, nil
}

// runWebhook serves until SIGTERM or SIGINT, then drains for up to 10 s.
func runWebhook(args []string, stderr io.Writer) int {
	o, err := parseWebhookArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "selmount webhook: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := serveWebhook(ctx, o, stderr, nil); err != nil {
		fmt.Fprintf(stderr, "selmount webhook: %s\n", printable(err.Error()))
		return exitUsage
	}
	return exitOK
}

// serveWebhook runs the cache and the server until ctx ends; listening is reported on started.
func serveWebhook(ctx context.Context, o webhookOptions, stderr io.Writer, started chan<- string) error {
	profile, err := gates.Parse(o.profile)
	if err != nil {
		return fmt.Errorf("--profile: %w", err)
	}
	certs := &webhook.CertReloader{CertFile: o.certFile, KeyFile: o.keyFile}
	if err := certs.Check(); err != nil {
		return err
	}
	conn, err := live.Connect(live.Options{Kubeconfig: o.kubeconfig, Context: o.context, InCluster: true})
	if err != nil {
		return err
	}
	cache := live.NewCache(conn)
	cacheDone := make(chan struct{})
	go func() { cache.Run(ctx); close(cacheDone) }()
	h := &webhook.Handler{Admitter: &webhook.Admitter{Profile: profile, Cluster: cache, DenyAll: o.denyAll},
		Metrics: webhook.NewMetrics(), Ready: cache.Synced}
	srv := &http.Server{
		Handler:           h.Mux(),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: certs.GetCertificate},
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "selmount webhook: serving on %s, cluster %s\n", ln.Addr(), conn.Context)
	if started != nil {
		started <- ln.Addr().String()
	}
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-served:
		<-cacheDone
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	<-cacheDone
	return err
}
