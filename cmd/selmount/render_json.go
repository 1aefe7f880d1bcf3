package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// renderJSON prints the report as the contract has it. Empty lists are [] so that consumers can
// iterate without a null check.
func renderJSON(w io.Writer, rep policies.Report) error {
	if rep.Conflicts == nil {
		rep.Conflicts = []policies.ConflictRecord{}
	}
	if rep.Findings == nil {
		rep.Findings = []policies.Finding{}
	}
	if rep.Diagnostics == nil {
		rep.Diagnostics = []cluster.Diagnostic{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// renderGroupedJSON prints the grouped report: {"profile", "groups", "findings", "diagnostics"},
// where findings hold the rules about one Pod and groups the pair rules. It writes the bytes
// encoding/json's indenting Encoder writes, one element at a time: the Encoder builds the whole
// document and then an indented copy of it, and for a 100k-Pod scan those two buffers were a
// tenth of the peak heap.
func renderGroupedJSON(w io.Writer, rep policies.GroupedReport) error {
	for i := range rep.Groups {
		if rep.Groups[i].Others == nil {
			rep.Groups[i].Others = []policies.GroupOther{}
		}
	}
	j := &elementWriter{w: bufio.NewWriterSize(w, 64<<10)}
	j.str("{\n  \"profile\": ")
	j.value(rep.Profile, "  ")
	j.str(",\n  \"groups\": ")
	writeArray(j, rep.Groups)
	j.str(",\n  \"findings\": ")
	writeArray(j, rep.Findings)
	j.str(",\n  \"diagnostics\": ")
	writeArray(j, rep.Diagnostics)
	j.str("\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// writeArray writes a member's array as the indenting Encoder does at the second level; a nil
// slice is [] so that consumers can iterate without a null check.
func writeArray[T any](j *elementWriter, elems []T) {
	if len(elems) == 0 {
		j.str("[]")
		return
	}
	j.str("[")
	for i := range elems {
		if i > 0 {
			j.str(",")
		}
		j.str("\n    ")
		j.value(&elems[i], "    ")
	}
	j.str("\n  ]")
}

// elementWriter encodes one value at a time, indented as it would be at its place in the document;
// it keeps the first error and writes nothing after it.
type elementWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	err error
	enc *json.Encoder // writes compact JSON into buf
	out []byte        // the indented value, reused from one element to the next
}

func (j *elementWriter) str(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *elementWriter) value(v any, prefix string) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	if j.enc == nil {
		j.enc = json.NewEncoder(&j.buf)
		j.enc.SetEscapeHTML(false)
	}
	if j.err = j.enc.Encode(v); j.err == nil {
		j.out = appendIndented(j.out[:0], bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")), prefix)
		_, j.err = j.w.Write(j.out)
	}
}
