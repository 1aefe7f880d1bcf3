package webhook

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// optedOutServer serves the webhook over a cluster whose one namespace, legacy, is opted out.
func optedOutServer(t *testing.T) *httptest.Server {
	t.Helper()
	objs, err := cluster.Decode("state.yaml", []byte(`apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {selmount.io/change-policy: Recursive}}
`))
	require.NoError(t, err)
	fc := &fixedCluster{}
	fc.set(objs)
	profile, err := gates.Parse("")
	require.NoError(t, err)
	h := &Handler{Admitter: &Admitter{Profile: profile, Cluster: fc}, Metrics: NewMetrics(), Ready: func() bool { return true }}
	srv := httptest.NewTLSServer(h.Mux())
	t.Cleanup(srv.Close)
	return srv
}

// A CREATE in an opted-out namespace is patched and counted once; an UPDATE is neither.
func TestPatchesAreCounted(t *testing.T) {
	srv := optedOutServer(t)
	pod := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"app","namespace":"legacy"},"spec":{"containers":[{"name":"c"}]}}`
	for _, op := range []string{"CREATE", "UPDATE"} {
		review := `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"kind":"Pod"},"namespace":"legacy","name":"app","operation":"` + op + `","object":` + pod + `,"oldObject":` + pod + `}}`
		code, body := post(t, srv, "/mutate", []byte(review))
		require.Equal(t, http.StatusOK, code, body)
		assert.Equal(t, op == "CREATE", strings.Contains(body, `"patchType":"JSONPatch"`), op)
	}
	_, metrics := get(t, srv, "/metrics")
	assert.Contains(t, metrics, "selmount_webhook_patches_total 1\n")
	assert.Contains(t, metrics, `selmount_webhook_requests_total{endpoint="mutate",code="200"} 2`)
}

// A workload is never patched, on CREATE or UPDATE: its controller's Pods are, at their CREATE.
func TestWorkloadsAreNeverPatched(t *testing.T) {
	srv := optedOutServer(t)
	dep := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"legacy"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c"}]}}}}`
	pod := `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"legacy"},"spec":{"containers":[{"name":"c"}]}}`
	for _, tc := range []struct{ kind, op, object string }{{"Deployment", "CREATE", dep}, {"Deployment", "UPDATE", dep}, {"Pod", "CREATE", pod}} {
		review := `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"kind":"` + tc.kind + `"},"namespace":"legacy","name":"web","operation":"` + tc.op + `","object":` + tc.object + `,"oldObject":` + tc.object + `}}`
		code, body := post(t, srv, "/mutate", []byte(review))
		require.Equal(t, http.StatusOK, code, body)
		assert.Equal(t, tc.kind == "Pod", strings.Contains(body, `"patchType":"JSONPatch"`), tc.kind+" "+tc.op)
	}
}
