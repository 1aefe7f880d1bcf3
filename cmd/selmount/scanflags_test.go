package main

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseScanArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    scanOptions
		wantErr string
	}{
		{name: "defaults", args: []string{"a.yaml"},
			want: scanOptions{maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, format: "text", failOn: "error", paths: []string{"a.yaml"}}},
		{name: "flags before paths", args: []string{"--profile", "v1.36", "-o", "json", "--fail-on", "warning", "a", "b"},
			want: scanOptions{maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, profile: "v1.36", format: "json", failOn: "warning", paths: []string{"a", "b"}}},
		{name: "flags after and between paths", args: []string{"a", "-o=sarif", "b", "--fail-on=none"},
			want: scanOptions{maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, format: "sarif", failOn: "none", paths: []string{"a", "b"}}},
		{name: "long output flag", args: []string{"--output", "prometheus", "a"},
			want: scanOptions{maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, format: "prometheus", failOn: "error", paths: []string{"a"}}},
		{name: "stdin", args: []string{"-", "-o", "json"},
			want: scanOptions{maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, format: "json", failOn: "error", paths: []string{"-"}}},
		{name: "double dash ends flags", args: []string{"a", "--", "-o", "--weird"},
			want: scanOptions{maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, format: "text", failOn: "error", paths: []string{"a", "-o", "--weird"}}},
		{name: "new flags", args: []string{"--allow-empty", "--max-pairs", "0", "a"},
			want: scanOptions{allowEmpty: true, maxSeries: defaultMaxSeries, format: "text", failOn: "error", paths: []string{"a"}}},
		{name: "per-pair report", args: []string{"--pairs", "--max-series", "5", "a"},
			want: scanOptions{pairs: true, maxPairs: defaultMaxPairs, maxSeries: 5, format: "text", failOn: "error", paths: []string{"a"}}},
		{name: "cluster", args: []string{"--context", "prod", "-o", "json"},
			want: scanOptions{context: "prod", cluster: true, maxPairs: defaultMaxPairs, maxSeries: defaultMaxSeries, format: "json", failOn: "error"}},
		{name: "cluster and paths", args: []string{"--cluster", "a"}, wantErr: "cannot be scanned together"},
		{name: "unknown format", args: []string{"-o", "xml", "a"}, wantErr: `unknown output format "xml"`},
		{name: "unknown fail-on", args: []string{"--fail-on", "info", "a"}, wantErr: `unknown --fail-on "info"`},
		{name: "no paths", args: []string{"-o", "json"}, wantErr: "no PATH given (use - for standard input, or --cluster)"},
		{name: "unknown flag", args: []string{"--strict", "a"}, wantErr: "flag provided but not defined"},
		{name: "flag without value", args: []string{"a", "-o"}, wantErr: "flag needs an argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseScanArgs(tc.args, io.Discard)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
