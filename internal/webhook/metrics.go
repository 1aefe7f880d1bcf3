package webhook

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// latencyBuckets are the histogram's upper bounds in seconds: the API server's webhook timeout is at
// most 30 s, and a cache-answered admission should take milliseconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Metrics are the webhook's Prometheus series, written in the text exposition format by hand: a
// client library would be a dependency for a few counters.
type Metrics struct {
	mu       sync.Mutex
	requests map[[2]string]int64 // endpoint, code
	buckets  map[string][]int64  // endpoint → count per bucket (cumulative when written)
	sum      map[string]float64
	count    map[string]int64
	patches  int64
	warnings map[string]int64 // rule
	denied   int64
}

// NewMetrics starts every series at zero.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[[2]string]int64{}, buckets: map[string][]int64{}, sum: map[string]float64{},
		count: map[string]int64{}, warnings: map[string]int64{}}
}

func (m *Metrics) observe(endpoint string, code int, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{endpoint, fmt.Sprint(code)}]++
	if m.buckets[endpoint] == nil {
		m.buckets[endpoint] = make([]int64, len(latencyBuckets))
	}
	s := took.Seconds()
	for i, le := range latencyBuckets {
		if s <= le {
			m.buckets[endpoint][i]++
		}
	}
	m.sum[endpoint] += s
	m.count[endpoint]++
}

func (m *Metrics) patched() {
	m.mu.Lock()
	m.patches++
	m.mu.Unlock()
}

func (m *Metrics) warned(rule string) {
	m.mu.Lock()
	m.warnings[rule]++
	m.mu.Unlock()
}

func (m *Metrics) refused() {
	m.mu.Lock()
	m.denied++
	m.mu.Unlock()
}

// Write prints every series, sorted, so that scrapes are stable.
func (m *Metrics) Write(w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b []byte
	add := func(format string, args ...any) { b = fmt.Appendf(b, format, args...) }
	add("# HELP selmount_webhook_requests_total Admission requests by endpoint and HTTP code.\n# TYPE selmount_webhook_requests_total counter\n")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpPair)
	for _, k := range keys {
		add("selmount_webhook_requests_total{endpoint=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}
	add("# HELP selmount_webhook_request_duration_seconds Time to answer an admission request.\n# TYPE selmount_webhook_request_duration_seconds histogram\n")
	endpoints := make([]string, 0, len(m.count))
	for e := range m.count {
		endpoints = append(endpoints, e)
	}
	slices.Sort(endpoints)
	for _, e := range endpoints {
		for i, le := range latencyBuckets {
			add("selmount_webhook_request_duration_seconds_bucket{endpoint=%q,le=\"%g\"} %d\n", e, le, m.buckets[e][i])
		}
		add("selmount_webhook_request_duration_seconds_bucket{endpoint=%q,le=\"+Inf\"} %d\n", e, m.count[e])
		add("selmount_webhook_request_duration_seconds_sum{endpoint=%q} %g\n", e, m.sum[e])
		add("selmount_webhook_request_duration_seconds_count{endpoint=%q} %d\n", e, m.count[e])
	}
	add("# HELP selmount_webhook_patches_total Pods given seLinuxChangePolicy by the opt-out at their CREATE.\n# TYPE selmount_webhook_patches_total counter\nselmount_webhook_patches_total %d\n", m.patches)
	add("# HELP selmount_webhook_warnings_total Admission warnings returned, by rule.\n# TYPE selmount_webhook_warnings_total counter\n")
	rules := make([]string, 0, len(m.warnings))
	for r := range m.warnings {
		rules = append(rules, r)
	}
	slices.Sort(rules)
	for _, r := range rules {
		add("selmount_webhook_warnings_total{rule=%q} %d\n", r, m.warnings[r])
	}
	add("# HELP selmount_webhook_denied_total Admissions refused (enforcing namespaces).\n# TYPE selmount_webhook_denied_total counter\nselmount_webhook_denied_total %d\n", m.denied)
	_, err := w.Write(b)
	return err
}

func cmpPair(a, b [2]string) int {
	if a[0] != b[0] {
		if a[0] < b[0] {
			return -1
		}
		return 1
	}
	switch {
	case a[1] < b[1]:
		return -1
	case a[1] > b[1]:
		return 1
	}
	return 0
}
