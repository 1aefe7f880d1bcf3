package cluster

import (
	"runtime"
	"sync"
	"sync/atomic"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decodeYAMLFast is the fast path for multi-document YAML. Decode converts each document to JSON
// and unmarshals every object in full, keeping the JSON too: the scan of a 10k-Pod YAML dump held
// eight times the file. Here each document is converted as Decode converts it, and its JSON read by
// the JSON fast path (documentSpans, decodeSpan, readForModel), so that only the objects the model
// reads are kept; the documents are converted on every core, conversion being most of the time. Any
// document the fast path does not take sends the whole file to Decode, whose errors stay word for
// word.
func decodeYAMLFast(file string, data []byte) ([]Object, bool) {
	type document struct {
		text []byte
		src  Source
	}
	var docs []document
	n := 0
	for _, chunk := range splitYAML(data) {
		if isBlankYAML(chunk.text) {
			continue
		}
		n++ // counted as Decode counts them
		docs = append(docs, document{chunk.text, Source{File: file, Doc: n, Line: chunk.line}})
	}
	results := make([][]Object, len(docs))
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, scratch := newInterner(), new(corev1.Pod)
			for !failed.Load() {
				k := int(next.Add(1)) - 1
				if k >= len(docs) {
					return
				}
				objs, ok := decodeYAMLDocument(docs[k].text, docs[k].src, in, scratch)
				if !ok {
					failed.Store(true)
					return
				}
				results[k] = objs
			}
		}()
	}
	wg.Wait()
	if failed.Load() {
		return nil, false
	}
	var out []Object
	for _, objs := range results {
		out = append(out, objs...)
	}
	return out, true
}

// decodeYAMLDocument reads one document as Decode's appendDocument does, or says it cannot.
func decodeYAMLDocument(text []byte, src Source, in *interner, scratch *corev1.Pod) (objs []Object, ok bool) {
	// A panic here would end the process past the CLI's recover; Decode, run on the caller's
	// goroutine, reads the file instead and answers for it.
	defer func() {
		if recover() != nil {
			objs, ok = nil, false
		}
	}()
	if checkYAMLDocument(src, text) != nil {
		return nil, false
	}
	js, err := yaml.YAMLToJSON(text)
	if err != nil {
		return nil, false
	}
	i := skipWS(js, 0)
	if i >= len(js) || js[i] != '{' {
		return nil, false // null, a scalar or a sequence: Decode's
	}
	var spans []span
	whole, end, list, ok := documentSpans(js, i, src, func(s span) bool {
		spans = append(spans, s)
		return true
	})
	switch {
	case !ok || skipWS(js, end) != len(js):
		return nil, false
	case !list && len(spans) > 0:
		return nil, false // "items" in an object that is no List: Decode's, as for JSON
	case !list:
		spans = []span{whole}
	}
	objs = make([]Object, 0, len(spans))
	for _, s := range spans {
		obj, ok := decodeSpan(js, s, scratch)
		if !ok {
			return nil, false
		}
		objs = append(objs, readForModel(obj, in))
	}
	return objs, true
}
