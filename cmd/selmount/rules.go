package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/selmount/selmount/policies"
)

// runRules lists the catalogue, so that users can look up an ID from a report or write exceptions.
func runRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("selmount rules", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("o", formatText, "output format: text|json")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 || (*format != formatText && *format != formatJSON) {
		fmt.Fprintln(stderr, "Usage: selmount rules [-o text|json]")
		return exitUsage
	}
	if *format == formatJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(policies.Catalogue()); err != nil {
			fmt.Fprintf(stderr, "selmount rules: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
	for _, r := range policies.Catalogue() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintf(stderr, "selmount rules: %v\n", err)
		return exitUsage
	}
	return exitOK
}
