package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAuditGCKeepsTheUsersGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "")
	auditGC()
	require.Equal(t, auditPercent, debug.SetGCPercent(100))

	t.Setenv("GOGC", "200")
	auditGC()
	require.Equal(t, 100, debug.SetGCPercent(100), "GOGC given: the runtime's value stays")
}
