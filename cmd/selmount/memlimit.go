package main

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
)

// limitHeapToState sets a soft memory limit from the heap live right after a collection: the
// built state, which the audit reads throughout. The collector's own goal is twice what is live;
// the limit adds nothing to that, but counts what the goal does not: spans freed by the objects
// dropped after the build, which the runtime keeps mapped until it needs them again. Without it a
// 100k-Pod scan peaked at ~1.3× its heap goal. margin keeps small scans from collecting at all
// for the limit's sake. A limit the user set (GOMEMLIMIT) stays.
func limitHeapToState(factor float64, margin int64) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetMemoryLimit(int64(factor*float64(s[0].Value.Uint64())) + margin)
}
