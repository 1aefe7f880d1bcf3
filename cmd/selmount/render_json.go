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

// renderGroupedJSON prints the grouped report: {"profile", "groups", "findings", "diagnostics"},
// where findings hold the rules about one Pod and groups the pair rules.
func renderGroupedJSON(w io.Writer, rep policies.GroupedReport) error {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}
