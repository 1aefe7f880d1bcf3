package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A scan's heap holds little that lives long (the state is a few hundred bytes a Pod) and a lot of
// short garbage (the decode's objects, the audit's views). At the default GOGC the collector ran
// about twenty times on a 100k-Pod dump, most of them while the heap was a fraction of the file,
// and its marking, assists and write barriers were a quarter of the scan's CPU. The memory budget
// is set by the input (peak RSS ≤ 1.5× the files read plus a constant, README, Benchmarks), so the
// heap may grow toward a target proportional to the bytes read before the collector runs. Once what
// is live nears the target (a dump whose views outgrow it, a small file that expands to a large
// state, standard input before it is read), GOGC falls back to a floor, the fixed value scans ran
// with before: past the target, garbage grows no faster relative to what is live than it did then.

// heapPerInputByte is the target heap per byte of input. Measured on the 10k and 100k-Pod dumps
// against the fixed GOGC: at 1.0 the scan took 12% / 8% less CPU, peaking 2 MB higher at 10k and
// no higher at 100k; 1.3 took 10% more off, but peaked at 1.48× / 1.54× the file above the
// constant, past the budget; 0.7 lost the gain at 10k.
const heapPerInputByte = 1.0

// decodePercent and auditPercent are the floors. The audit's views hold, while they run, about as
// much again as the state, and at 100 the heap grew to twice that before a collection: a 10k-Pod
// scan then peaked at 1.8× its file above the constant, against 1.45× at 50.
const (
	decodePercent = 100
	auditPercent  = 50
)

// heapTarget tunes GOGC after every collection: as high as keeps the next goal at the target, never
// below the floor. It does nothing when the user set GOGC or GOMEMLIMIT: their values stand.
type heapTarget struct {
	mu      sync.Mutex
	target  uint64
	floor   int
	stopped bool
	sample  []metrics.Sample
	tunes   int // collections seen, for the test
}

// startHeapTarget returns a tuner that is off (every method a no-op) when the user chose how the
// collector runs.
func startHeapTarget() *heapTarget {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	h := &heapTarget{floor: decodePercent, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	h.arm()
	return h
}

// read adds n bytes of input to the target, before they are decoded.
func (h *heapTarget) read(n int) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.target += uint64(float64(n) * heapPerInputByte)
	h.tuneLocked()
}

// audit lowers the floor for the audit, whose views are garbage at a high rate.
func (h *heapTarget) audit() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.floor = auditPercent
	h.tuneLocked()
}

// stop leaves the collector at the floor, as a fixed GOGC would have had it.
func (h *heapTarget) stop() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	debug.SetGCPercent(h.floor)
}

// percent is the GOGC that puts the next goal at the target given what is live, or the floor.
func percent(target, live uint64, floor int) int {
	const most = 1 << 20 // a goal of 10,000× what is live: the target, not this, is the bound
	if live == 0 || target <= live {
		return floor
	}
	p := (target - live) * 100 / live
	if p > most {
		p = most
	}
	return max(floor, int(p))
}

func (h *heapTarget) tuneLocked() {
	if h.stopped {
		return
	}
	metrics.Read(h.sample)
	live := uint64(0)
	if h.sample[0].Value.Kind() == metrics.KindUint64 {
		live = h.sample[0].Value.Uint64()
	}
	// Before the first collection nothing has been marked; the runtime's minimum heap (4 MB) is
	// what its first goal is measured from.
	debug.SetGCPercent(percent(h.target, max(live, 4<<20), h.floor))
}

// arm runs tune after the next collection: a cleanup runs once the collector found its object
// unreachable, and re-arms itself until stop.
func (h *heapTarget) arm() {
	type sentinel struct{ _ *byte } // a pointer, so that the tiny allocator never shares its block
	runtime.AddCleanup(new(sentinel), func(h *heapTarget) {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.stopped {
			return
		}
		h.tunes++
		h.tuneLocked()
		h.arm()
	}, h)
}
