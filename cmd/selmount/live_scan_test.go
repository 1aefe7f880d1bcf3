package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/internal/live"
	"github.com/selmount/selmount/policies/cluster"
)

// serveDump answers the LISTs of live.Kinds with the objects of a dump file, two per page, and
// returns a kubeconfig pointing at it.
func serveDump(t *testing.T, dump string) string {
	t.Helper()
	data, err := os.ReadFile(dump)
	require.NoError(t, err)
	objs, err := cluster.Decode(dump, data)
	require.NoError(t, err)
	byPath := map[string][]string{}
	for _, k := range live.Kinds {
		for _, o := range objs {
			if o.Kind == k.Kind {
				byPath[k.Path] = append(byPath[k.Path], string(o.Raw))
			}
		}
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer secret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		all := byPath[r.URL.Path]
		start := 0
		fmt.Sscan(r.URL.Query().Get("continue"), &start)
		end, cont := min(start+2, len(all)), ""
		if end < len(all) {
			cont = fmt.Sprint(end)
		}
		fmt.Fprintf(w, `{"metadata":{"continue":%q},"items":[%s]}`, cont, strings.Join(all[start:end], ","))
	}))
	t.Cleanup(srv.Close)
	return kubeconfigFor(t, srv, "secret")
}

// Scanning a cluster gives what scanning its dump gives: the same groups and findings.
func TestScanClusterEqualsItsDump(t *testing.T) {
	dump := filepath.Join(examples, "cluster-dump.yaml")
	kc := serveDump(t, dump)
	wantCode, want, _ := runCmd(t, "", "scan", "-o", "json", dump)
	gotCode, got, errOut := runCmd(t, "", "scan", "--kubeconfig", kc, "-o", "json")
	require.Equal(t, wantCode, gotCode, errOut)
	var a, b map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(want), &a))
	require.NoError(t, json.Unmarshal([]byte(got), &b))
	assert.JSONEq(t, string(a["groups"]), string(b["groups"]))
	assert.JSONEq(t, string(a["findings"]), string(b["findings"]))
	assert.NotEqual(t, "[]", string(b["groups"]))

	_, text, _ := runCmd(t, "", "scan", "--kubeconfig", kc)
	assert.Contains(t, text, "Summary: ")

	// As kubectl's plugin, no PATH means the current context.
	t.Setenv("KUBECONFIG", kc)
	asKubectlPlugin = true
	defer func() { asKubectlPlugin = false }()
	code, plugin, errOut := runCmd(t, "", "scan", "-o", "json")
	require.Equal(t, wantCode, code, errOut)
	assert.JSONEq(t, got, plugin)
}

func TestScanClusterErrors(t *testing.T) {
	code, _, errOut := runCmd(t, "", "scan", "--context", "x", "--kubeconfig", filepath.Join(t.TempDir(), "none"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "none")
	code, _, errOut = runCmd(t, "", "scan", "--cluster", "deploy/")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "cannot be scanned together")
	// A cluster that refuses a LIST is bad input naming it, never an empty scan that passes.
	kc := serveDump(t, filepath.Join(examples, "cluster-dump.yaml"))
	data, err := os.ReadFile(kc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(kc, []byte(strings.Replace(string(data), "token: secret", "token: wrong", 1)), 0o600))
	code, out, errOut := runCmd(t, "", "scan", "--kubeconfig", kc)
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "<cluster prod>: list Namespaces: 401 Unauthorized")
}
