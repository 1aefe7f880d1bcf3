package gatekeeper

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if p := Percentile(ds, 0.5); p != 50*time.Millisecond {
		t.Errorf("p50 %v", p)
	}
	if p := Percentile(ds, 0.99); p != 99*time.Millisecond {
		t.Errorf("p99 %v", p)
	}
	if p := Percentile(nil, 0.5); p != 0 {
		t.Errorf("empty: %v", p)
	}
}

// BenchmarkAdmission measures one Pod's admission (a dry-run CREATE through the API server, the
// mutation and validation webhooks) with gatekeeper/ installed and 100, then 10,000 Pods synced into
// data.inventory. Run it bounded: go test ./gatekeeper -run '^$' -bench Admission -benchtime 200x.
func BenchmarkAdmission(b *testing.B) {
	e := startGatekeeper(b, serverVersion, quietAudit)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	have := 0
	for i, n := range []int{100, 10000} {
		if err := FillPods(ctx, e.clients.Typed, have, n); err != nil {
			b.Fatal(err)
		}
		have = n
		if i == 0 {
			e.install(b, "gatekeeper/README.md")
			if err := WaitReady(ctx, e.clients); err != nil {
				b.Fatal(err)
			}
		}
		// Gatekeeper's sync is eventually consistent: give it time for the new Pods.
		time.Sleep(time.Duration(n/100) * time.Second / 2)
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) { measure(ctx, b, e) })
	}
}

// measure sends b.N dry-run Pod CREATEs one after another and reports their p50 and p99.
func measure(ctx context.Context, b *testing.B, e *env) {
	pods := e.clients.Typed.CoreV1().Pods("bench-000")
	var ds []time.Duration
	for range b.N {
		start := time.Now()
		if _, err := pods.Create(ctx, probePodIn("bench-000"), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	b.ReportMetric(float64(Percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(Percentile(ds, 0.99).Microseconds())/1000, "p99-ms")
}
