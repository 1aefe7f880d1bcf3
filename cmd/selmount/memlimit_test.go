package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLimitHeapToStateKeepsTheUsersLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	debug.SetMemoryLimit(math.MaxInt64)
	limitHeapToState(2, 1<<40)
	set := debug.SetMemoryLimit(-1)
	require.Greater(t, set, int64(1<<40), "the margin and twice the live heap")
	require.Less(t, set, int64(math.MaxInt64))

	debug.SetMemoryLimit(123 << 20) // as GOMEMLIMIT would
	limitHeapToState(2, 1<<40)
	require.Equal(t, int64(123<<20), debug.SetMemoryLimit(-1))
}
