package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The JSON keys are a contract other tools parse; this pins them.
func TestJSONContract(t *testing.T) {
	code, out, _ := runCmd(t, "", "scan", "--pairs", "-o", "json", "--fail-on", "none", filepath.Join(examples, "cluster-dump.yaml"))
	require.Equal(t, exitOK, code)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.ElementsMatch(t, []string{"profile", "conflicts", "findings", "diagnostics"}, keys(doc))
	assert.JSONEq(t, `"v1.37"`, string(doc["profile"]))

	var conflicts []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["conflicts"], &conflicts))
	require.NotEmpty(t, conflicts)
	assert.ElementsMatch(t, []string{"rule", "property", "volume", "pod", "otherPod", "event"}, keys(conflicts[0]))
	var side map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(conflicts[0]["pod"], &side))
	assert.ElementsMatch(t, []string{"namespace", "name", "value"}, keys(side))

	var findings []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["findings"], &findings))
	require.NotEmpty(t, findings)
	for _, f := range findings {
		for _, k := range []string{"rule", "severity", "pod", "message"} {
			assert.Contains(t, f, k)
		}
		for k := range f {
			assert.Contains(t, []string{"rule", "severity", "pod", "otherPod", "volume", "property", "values", "message", "latent", "assumed"}, k)
		}
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	code, out, _ := runCmd(t, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", "scan", "-o", "json", "-")
	require.Equal(t, exitOK, code)
	assert.JSONEq(t, `{"profile":"v1.37","groups":[],"findings":[],"diagnostics":[]}`, out)
	code, out, _ = runCmd(t, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", "scan", "--pairs", "-o", "json", "-")
	require.Equal(t, exitOK, code)
	assert.JSONEq(t, `{"profile":"v1.37","conflicts":[],"findings":[],"diagnostics":[]}`, out)
}

func TestJSONDoesNotEscapeHTML(t *testing.T) {
	in := "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
	_, out, _ := runCmd(t, in, "scan", "-o", "json", "-")
	assert.Contains(t, out, `"<stdin>: document 1"`)
}

func keys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
