package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersionPrefersLinkerValue(t *testing.T) {
	old := version
	t.Cleanup(func() { version = old })
	version = "v9.9.9"
	code, out, _ := runCmd(t, "", "version")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "selmount v9.9.9 (go")
}

func TestVersionWithoutLinkerValue(t *testing.T) {
	// Test binaries carry no module version, so the fallback must still say something.
	assert.NotEmpty(t, currentVersion())
}
