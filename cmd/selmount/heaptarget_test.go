package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPercentKeepsTheNextGoalAtTheTarget(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		target, live uint64
		floor, want  int
	}{
		{target: 400 * mb, live: 100 * mb, floor: 50, want: 300},
		{target: 400 * mb, live: 300 * mb, floor: 50, want: 50}, // 33% would be below the floor
		{target: 400 * mb, live: 400 * mb, floor: 50, want: 50},
		{target: 100 * mb, live: 400 * mb, floor: 100, want: 100},
		{target: 0, live: 4 * mb, floor: 100, want: 100}, // standard input, a live cluster
		{target: 1 << 40, live: 4 * mb, floor: 100, want: 1 << 20},
		{target: 400 * mb, live: 0, floor: 50, want: 50},
	} {
		require.Equal(t, c.want, percent(c.target, c.live, c.floor), "target %d MB, live %d MB, floor %d", c.target/mb, c.live/mb, c.floor)
	}
}

func TestHeapTargetKeepsTheUsersSettings(t *testing.T) {
	t.Setenv("GOGC", "200")
	require.Nil(t, startHeapTarget())
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "1GiB")
	require.Nil(t, startHeapTarget(), "GOMEMLIMIT given: the collector is the user's")
	var off *heapTarget // every method of the tuner that is off is a no-op
	off.read(1 << 30)
	off.audit()
	off.stop()
}

// The tuner sets GOGC from the input, lowers the floor for the audit, runs again after every
// collection, and leaves the floor when stopped.
func TestHeapTargetTunesAfterEveryCollection(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	h := startHeapTarget()
	require.NotNil(t, h)
	h.read(1 << 30)
	require.Greater(t, gcPercent(), decodePercent, "a large input raises GOGC above the floor")

	tunes := func() int { h.mu.Lock(); defer h.mu.Unlock(); return h.tunes }
	for round := 1; round <= 2; round++ { // twice: the cleanup re-arms itself
		runtime.GC()
		deadline := time.Now().Add(5 * time.Second)
		for tunes() < round && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		require.GreaterOrEqual(t, tunes(), round, "no tune after collection %d", round)
	}

	h.stop()
	require.Equal(t, decodePercent, gcPercent(), "stopped in the decode: its floor")
	h.audit() // after stop: no effect
	require.Equal(t, decodePercent, gcPercent())

	h = startHeapTarget()
	h.audit()
	require.Equal(t, auditPercent, gcPercent(), "no input read: the audit's floor")
	h.stop()
}

func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
