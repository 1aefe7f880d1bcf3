package main

import (
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
