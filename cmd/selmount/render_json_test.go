package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"

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

// renderGroupedJSON writes element by element; it must write the bytes the indenting Encoder
// writes for the whole report, on every input of the equivalence corpus.
func TestGroupedJSONIsTheIndentingEncoders(t *testing.T) {
	profile, err := gates.Parse("")
	if err != nil {
		t.Fatal(err)
	}
	compared, groups, findings, diagnostics := 0, 0, 0, 0
	for _, file := range equivalenceCorpus(t, t.TempDir()) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := cluster.Decode(file, data)
		if err != nil {
			continue // the scan's error, not a report
		}
		res, err := audit(profile, objs)
		if err != nil {
			continue
		}
		want := encodeWhole(t, res.grouped)
		var got bytes.Buffer
		if err := renderGroupedJSON(&got, res.grouped); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Fatalf("%s: streamed JSON differs\nEncoder:\n%s\nstreamed:\n%s", file, want, got.String())
		}
		compared++
		groups += min(len(res.grouped.Groups), 1)
		findings += min(len(res.grouped.Findings), 1)
		diagnostics += min(len(res.grouped.Diagnostics), 1)
	}
	t.Logf("compared %d reports: %d with groups, %d with findings, %d with diagnostics", compared, groups, findings, diagnostics)
	if compared < 300 || groups < 10 || findings < 10 || diagnostics < 10 {
		t.Fatal("the corpus lost its inputs")
	}
}

// encodeWhole is the report through one indenting Encoder, as renderGroupedJSON wrote it before.
func encodeWhole(t *testing.T, rep policies.GroupedReport) string {
	t.Helper()
	if rep.Groups == nil {
		rep.Groups = []policies.ConflictGroup{}
	}
	for i := range rep.Groups {
		if rep.Groups[i].Others == nil {
			rep.Groups[i].Others = []policies.GroupOther{}
		}
	}
	if rep.Findings == nil {
		rep.Findings = []policies.Finding{}
	}
	if rep.Diagnostics == nil {
		rep.Diagnostics = []cluster.Diagnostic{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestGroupedJSONReportsAWriteError(t *testing.T) {
	if err := renderGroupedJSON(failingWriter{}, policies.GroupedReport{Profile: "v1.37"}); err == nil {
		t.Fatal("renderGroupedJSON to a failing writer returned no error")
	}
}
