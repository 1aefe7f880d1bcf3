package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/internal/testcert"
)

// apiServerStub lists one labelled Namespace and nothing else, and holds watches open until the
// request ends, as an idle API server does.
func apiServerStub(t *testing.T) string {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("watch") == "1" {
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		items := ""
		if r.URL.Path == "/api/v1/namespaces" {
			items = `{"metadata":{"name":"legacy","labels":{"selmount.io/change-policy":"Recursive"}}}`
		}
		fmt.Fprintf(w, `{"metadata":{"resourceVersion":"5"},"items":[%s]}`, items)
	}))
	t.Cleanup(srv.Close)
	return kubeconfigFor(t, srv, "t")
}

// The command caches the cluster, turns ready, patches a Pod of an opted-out namespace on CREATE, and
// stops when its context ends.
func TestWebhookServesAndStops(t *testing.T) {
	cert, key := testcert.Write(t, t.TempDir(), "selmount-webhook")
	o := webhookOptions{listen: "127.0.0.1:0", certFile: cert, keyFile: key, kubeconfig: apiServerStub(t)}
	ctx, cancel := context.WithCancel(context.Background())
	started, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- serveWebhook(ctx, o, io.Discard, started) }()
	addr := <-started
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // the test's own self-signed certificate
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := client.Get("https://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "not ready after 5 s")
		time.Sleep(20 * time.Millisecond)
	}
	review := `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"kind":"Pod"},"namespace":"legacy","name":"p","operation":"CREATE",
"object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"legacy"},"spec":{"containers":[{"name":"c"}]}}}}`
	resp, err := client.Post("https://"+addr+"/mutate", "application/json", bytes.NewReader([]byte(review)))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `"patchType":"JSONPatch"`)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("the webhook did not stop")
	}
}

func TestWebhookFlags(t *testing.T) {
	code, _, errOut := runCmd(t, "", "webhook")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--tls-cert-file and --tls-private-key-file are required")
	code, _, errOut = runCmd(t, "", "webhook", "--tls-cert-file", "/nonexistent/c", "--tls-private-key-file", "/nonexistent/k")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "/nonexistent/c")
	assert.False(t, strings.Contains(errOut, "panic"))
}
