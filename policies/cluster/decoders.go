package cluster

import (
	"runtime"
	"sync"
	"sync/atomic"

	corev1 "k8s.io/api/core/v1"
)

// decoders decode the spans of the fast path on every core, in batches, while the first pass is
// still finding them: on 2 cores that pass (a bracket match over the whole file, which also takes
// its page faults) was a serial eighth of a scan with one core idle.
//
// The first pass stays at most queuedBatches ahead of the decoders, so the file's pages it has read
// and the decoders have not yet released stay a few batches' worth.
type decoders struct {
	data    []byte
	release func(from, to int)
	queue   chan spanBatch
	failed  atomic.Bool
	wg      sync.WaitGroup
	done    [][]decodedBatch // by worker
	pending []span
	sent    int
}

type spanBatch struct {
	index int
	spans []span
}

type decodedBatch struct {
	index int
	objs  []Object
}

const (
	batchSpans    = 256
	queuedBatches = 2
)

func startDecoders(data []byte, release func(from, to int)) *decoders {
	workers := runtime.GOMAXPROCS(0)
	d := &decoders{data: data, release: release, queue: make(chan spanBatch, queuedBatches), done: make([][]decodedBatch, workers)}
	for w := range workers {
		d.wg.Add(1)
		go d.work(w)
	}
	return d
}

// work decodes batches until the queue closes. After a failure it only drains the queue, so that
// the first pass is never left blocked on it.
func (d *decoders) work(w int) {
	defer d.wg.Done()
	in, scratch := newInterner(), new(corev1.Pod)
	for b := range d.queue {
		if d.failed.Load() {
			continue
		}
		if objs, ok := d.decodeBatch(b, in, scratch); ok {
			d.done[w] = append(d.done[w], decodedBatch{b.index, objs})
			d.release(b.spans[0].start, b.spans[len(b.spans)-1].end)
		} else {
			d.failed.Store(true)
		}
	}
}

func (d *decoders) decodeBatch(b spanBatch, in *interner, scratch *corev1.Pod) (objs []Object, ok bool) {
	// A panic here would end the process past the CLI's recover; Decode, run on the caller's
	// goroutine, reads the file instead and answers for it.
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	objs = make([]Object, 0, len(b.spans))
	for _, s := range b.spans {
		obj, ok := decodeSpan(d.data, s, scratch)
		if !ok {
			return nil, false
		}
		objs = append(objs, readForModel(obj, in))
	}
	return objs, true
}

// add queues a span for decoding; false once a decode failed, when the fast path gives up.
func (d *decoders) add(s span) bool {
	d.pending = append(d.pending, s)
	if len(d.pending) == batchSpans {
		d.flush()
	}
	return !d.failed.Load()
}

func (d *decoders) flush() {
	if len(d.pending) == 0 {
		return
	}
	d.queue <- spanBatch{d.sent, d.pending}
	d.sent++
	d.pending = make([]span, 0, batchSpans)
}

// finish decodes what is pending and returns every object in input order.
func (d *decoders) finish() ([]Object, bool) {
	d.flush()
	close(d.queue)
	d.wg.Wait()
	if d.failed.Load() {
		return nil, false
	}
	byIndex := make([][]Object, d.sent)
	n := 0
	for _, done := range d.done {
		for _, b := range done {
			byIndex[b.index] = b.objs
			n += len(b.objs)
		}
	}
	objs := make([]Object, 0, n)
	for _, b := range byIndex {
		objs = append(objs, b...)
	}
	return objs, true
}

// abort stops the decoders and gives up the fast path.
func (d *decoders) abort() ([]Object, bool) {
	d.failed.Store(true)
	close(d.queue)
	d.wg.Wait()
	return nil, false
}
