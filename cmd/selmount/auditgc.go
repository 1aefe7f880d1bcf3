package main

import (
	"os"
	"runtime/debug"
)

// auditPercent is the collector's GOGC while the audit runs. The audit's views hold, while they run,
// about as much again as the state, and at the default 100 the heap grows to twice that before a
// collection: a 10k-Pod scan then peaked at 1.8× its file above the constant, against 1.45× at 50,
// for a few percent more CPU (README, Benchmarks).
const auditPercent = 50

// auditGC sets auditPercent unless the user chose a GOGC, whose value the runtime already took.
func auditGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(auditPercent)
	}
}
