package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func TestRulesText(t *testing.T) {
	code, out, _ := runCmd(t, "", "rules")
	require.Equal(t, exitOK, code)
	for _, r := range policies.Catalogue() {
		assert.Contains(t, out, r.ID+"  "+r.Severity)
		assert.Contains(t, out, r.Title)
	}
	assert.True(t, strings.HasPrefix(out, "ID "))
}

func TestRulesJSON(t *testing.T) {
	code, out, _ := runCmd(t, "", "rules", "-o", "json")
	require.Equal(t, exitOK, code)
	var rules []policies.Rule
	require.NoError(t, json.Unmarshal([]byte(out), &rules))
	assert.Equal(t, policies.Catalogue(), rules)
}

func TestRulesUsage(t *testing.T) {
	for _, args := range [][]string{{"rules", "extra"}, {"rules", "-o", "sarif"}, {"rules", "--bogus"}} {
		code, _, _ := runCmd(t, "", args...)
		assert.Equal(t, exitUsage, code, args)
	}
}
