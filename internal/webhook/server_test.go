package webhook

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/internal/testcert"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

const sharedVolume = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {selmount.io/enforce: "true"}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec: {accessModes: [ReadWriteMany]}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop}
spec:
  securityContext: {seLinuxOptions: {level: "s0:c1,c2"}}
  containers: [{name: c, volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
`

const backupPod = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"backup","namespace":"shop"},
"spec":{"containers":[{"name":"c","volumeMounts":[{"name":"d","mountPath":"/d"}]}],"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"data"}}]}}`

func server(t *testing.T, ready bool) (*httptest.Server, *Handler) {
	t.Helper()
	objs, err := cluster.Decode("state.yaml", []byte(sharedVolume))
	require.NoError(t, err)
	fc := &fixedCluster{}
	fc.set(objs)
	profile, err := gates.Parse("")
	require.NoError(t, err)
	h := &Handler{Admitter: &Admitter{Profile: profile, Cluster: fc}, Metrics: NewMetrics(), Ready: func() bool { return ready }}
	srv := httptest.NewTLSServer(h.Mux())
	t.Cleanup(srv.Close)
	return srv, h
}

func post(t *testing.T, srv *httptest.Server, path string, body []byte) (int, string) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// The blog's case: backup, unlabelled, joins app on the volume. It is refused in the enforcing
// namespace with the model's SELINUX-006 text; the metrics count the request and the refusal.
func TestValidateWarnsAndEnforces(t *testing.T) {
	srv, _ := server(t, true)
	review := `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","kind":{"kind":"Pod"},"namespace":"shop","name":"backup","operation":"CREATE","object":` + backupPod + `}}`
	code, body := post(t, srv, "/validate", []byte(review))
	require.Equal(t, http.StatusOK, code, body)
	var out struct {
		Response struct {
			UID      string
			Allowed  bool
			Warnings []string
			Status   struct{ Message string } `json:"status"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	assert.Equal(t, "u1", out.Response.UID)
	assert.False(t, out.Response.Allowed)
	assert.Contains(t, out.Response.Status.Message, "SELINUX-006: backup stays in ContainerCreating")
	assert.NotEmpty(t, out.Response.Warnings)

	_, metrics := get(t, srv, "/metrics")
	assert.Contains(t, metrics, `selmount_webhook_requests_total{endpoint="validate",code="200"} 1`)
	assert.Contains(t, metrics, "selmount_webhook_denied_total 1")
	assert.Contains(t, metrics, `selmount_webhook_warnings_total{rule="SELINUX-006"} 1`)
	assert.Contains(t, metrics, `selmount_webhook_request_duration_seconds_count{endpoint="validate"} 1`)
}

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// Malformed and oversized reviews are 400s with a reason, never a panic or a hang.
func TestBadReviewsAreRefused(t *testing.T) {
	srv, h := server(t, true)
	for name, body := range map[string][]byte{
		"not JSON":        []byte("{"),
		"no request":      []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`),
		"wrong version":   []byte(`{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}`),
		"oversized":       bytes.Repeat([]byte("x"), maxReviewBytes+10),
		"object not JSON": []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"x","operation":"CREATE","object":"x"}}`),
	} {
		code, msg := post(t, srv, "/validate", body)
		if name == "object not JSON" {
			// A request the API server would never send, but well-formed: answered, allowed, with
			// a warning, since refusing or failing would only wait for the failure policy.
			assert.Equal(t, http.StatusOK, code, name)
			assert.Contains(t, msg, "cannot read the object", name)
			continue
		}
		assert.Equal(t, http.StatusBadRequest, code, name)
		assert.Contains(t, msg, "bad AdmissionReview", name)
	}
	code, _ := get(t, srv, "/mutate")
	assert.Equal(t, http.StatusBadRequest, code)
	var b strings.Builder
	require.NoError(t, h.Metrics.Write(&b))
	assert.Contains(t, b.String(), `selmount_webhook_requests_total{endpoint="validate",code="400"} 4`)
}

func TestReadiness(t *testing.T) {
	srv, _ := server(t, false)
	code, _ := get(t, srv, "/readyz")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	code, _ = get(t, srv, "/healthz")
	assert.Equal(t, http.StatusOK, code)
	srv, _ = server(t, true)
	code, _ = get(t, srv, "/readyz")
	assert.Equal(t, http.StatusOK, code)
}

// A renewed certificate is served from the next handshake on, without a restart; a missing file
// fails the start.
func TestCertificateReloads(t *testing.T) {
	dir := t.TempDir()
	testcert.Write(t, dir, "first")
	c := &CertReloader{CertFile: filepath.Join(dir, "tls.crt"), KeyFile: filepath.Join(dir, "tls.key")}
	require.NoError(t, c.Check())
	cn := func() string {
		cert, err := c.GetCertificate(&tls.ClientHelloInfo{})
		require.NoError(t, err)
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		require.NoError(t, err)
		return leaf.Subject.CommonName
	}
	assert.Equal(t, "first", cn())
	testcert.Write(t, dir, "renewed")
	later := time.Now().Add(2 * time.Second)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "tls.crt"), later, later))
	assert.Equal(t, "renewed", cn())

	bad := &CertReloader{CertFile: filepath.Join(dir, "none.crt"), KeyFile: filepath.Join(dir, "tls.key")}
	require.ErrorContains(t, bad.Check(), "none.crt")
}
