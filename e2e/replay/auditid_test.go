package replay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAuditIDRecorderStoresTheAnsweredID(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Audit-ID", "id-"+r.URL.Path[1:])
	}))
	defer srv.Close()
	c := &http.Client{Transport: auditIDRecorder{http.DefaultTransport}}
	ctx, id := recordingAuditID(context.Background())
	for _, path := range []string{"/a", "/b"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if *id != "id-b" {
		t.Errorf("recorded %q, want the last request's id-b", *id)
	}
	// A request without a recording context is left alone (and does not panic).
	resp, err := c.Get(srv.URL + "/c")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if *id != "id-b" {
		t.Errorf("another request overwrote the ID: %q", *id)
	}
}
