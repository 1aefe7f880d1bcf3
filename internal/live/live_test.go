package live

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

// fakeServer answers LISTs as an API server with limit and continue does, from items per path, and
// records the queries; paths in refused answer 403 with a Status.
func fakeServer(t *testing.T, items map[string][]string, refused map[string]bool, queries *[]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*queries = append(*queries, r.URL.Path+"?"+r.URL.RawQuery)
		if refused[r.URL.Path] {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"kind":"Status","message":"persistentvolumes is forbidden: User \"ci\" cannot list resource"}`)
			return
		}
		all := items[r.URL.Path]
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		start, _ := strconv.Atoi(r.URL.Query().Get("continue"))
		end := min(start+limit, len(all))
		cont := ""
		if end < len(all) {
			cont = strconv.Itoa(end)
		}
		fmt.Fprintf(w, `{"kind":"List","metadata":{"continue":%q},"items":[%s]}`, cont, strings.Join(all[start:end], ","))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestReadPagesThroughEveryKind(t *testing.T) {
	var pods []string
	for i := range 7 {
		pods = append(pods, fmt.Sprintf(`{"metadata":{"name":"p%d","namespace":"team"},"spec":{"containers":[{"name":"c"}]}}`, i))
	}
	items := map[string][]string{
		"/api/v1/namespaces":                     {`{"metadata":{"name":"team"}}`},
		"/api/v1/pods":                           pods,
		"/api/v1/persistentvolumeclaims":         {`{"metadata":{"name":"data","namespace":"team"},"spec":{}}`},
		"/api/v1/persistentvolumes":              {`{"metadata":{"name":"pv"},"spec":{}}`},
		"/apis/storage.k8s.io/v1/storageclasses": {`{"metadata":{"name":"sc"},"provisioner":"d.example.com"}`},
		"/apis/storage.k8s.io/v1/csidrivers":     {`{"metadata":{"name":"d.example.com"},"spec":{}}`},
	}
	var queries []string
	srv := fakeServer(t, items, nil, &queries)
	base, _ := url.Parse(srv.URL)
	var progress bytes.Buffer
	objs, err := Read(context.Background(), srv.Client(), base, Source("test"), Options{PageSize: 3, Progress: &progress})
	require.NoError(t, err)

	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.Kind]++
		assert.Equal(t, "<cluster test>", o.Source.File)
	}
	assert.Equal(t, map[string]int{"Namespace": 1, "Pod": 7, "PersistentVolumeClaim": 1, "PersistentVolume": 1, "StorageClass": 1, "CSIDriver": 1}, kinds)
	var podQueries []string
	for _, q := range queries {
		if strings.HasPrefix(q, "/api/v1/pods?") {
			podQueries = append(podQueries, q)
		}
	}
	assert.Equal(t, []string{"/api/v1/pods?limit=3", "/api/v1/pods?continue=3&limit=3", "/api/v1/pods?continue=6&limit=3"}, podQueries, "7 Pods in pages of 3")
	assert.Contains(t, progress.String(), "<cluster test>: 7 Pods in 3 pages")

	s, err := cluster.Build(objs)
	require.NoError(t, err)
	assert.NotNil(t, s.Pod("team/p6"), "items get their kind and apiVersion")
}

// A refused LIST (RBAC) is an error naming the cluster, the kind and the server's reason, never an
// empty cluster that passes.
func TestReadFailsOnARefusedList(t *testing.T) {
	var queries []string
	srv := fakeServer(t, map[string][]string{}, map[string]bool{"/api/v1/persistentvolumes": true}, &queries)
	base, _ := url.Parse(srv.URL)
	_, err := Read(context.Background(), srv.Client(), base, Source("prod"), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "<cluster prod>: list PersistentVolumes: 403 Forbidden: persistentvolumes is forbidden")
}

func TestLoadReadsTheKubeconfigContext(t *testing.T) {
	var queries []string
	srv := fakeServer(t, map[string][]string{"/api/v1/namespaces": {`{"metadata":{"name":"x"}}`}}, nil, &queries)
	kc := filepath.Join(t.TempDir(), "config")
	require.NoError(t, os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "`+srv.URL+`"}}]
users: [{name: u, user: {token: secret}}]
contexts: [{name: ci, context: {cluster: c, user: u}}, {name: other, context: {cluster: c, user: u}}]
current-context: other
`), 0o600))
	objs, err := Load(context.Background(), Options{Kubeconfig: kc, Context: "ci"})
	require.NoError(t, err)
	require.Len(t, objs, 1)
	assert.Equal(t, "<cluster ci>", objs[0].Source.File)

	_, err = Load(context.Background(), Options{Kubeconfig: kc, Context: "nowhere"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nowhere")
	_, err = Load(context.Background(), Options{Kubeconfig: filepath.Join(t.TempDir(), "missing")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing")
}
