package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/selmount/selmount/bench/dumpgen"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// requestInterval is the fixed rate of BenchmarkAdmissionLatency: 20 admissions a second, a busy
// cluster's Pod creations, sent whether or not the previous answer came back late.
const requestInterval = 50 * time.Millisecond

// BenchmarkAdmissionLatency sends b.N validating reviews at a fixed rate over HTTPS on loopback to
// a webhook whose cache holds a generated cluster of 100 or 10,000 Pods, and reports the p50 and p99
// latency of the answers (go test -bench AdmissionLatency -benchtime 200x ./internal/webhook), with
// the volume index (index=on) and with the whole snapshot handed to the model (index=off), the
// webhook before the index, so that one run gives both.
func BenchmarkAdmissionLatency(b *testing.B) {
	profile, err := gates.Parse("")
	if err != nil {
		b.Fatal(err)
	}
	for _, pods := range []int{100, 10_000} {
		for _, indexed := range []bool{false, true} {
			benchmarkLatency(b, profile, pods, indexed)
		}
	}
}

func benchmarkLatency(b *testing.B, profile gates.Profile, pods int, indexed bool) {
	on := map[bool]string{false: "off", true: "on"}[indexed]
	b.Run(fmt.Sprintf("pods=%d/index=%s", pods, on), func(b *testing.B) {
		var dump bytes.Buffer
		if err := dumpgen.Write(&dump, dumpgen.Config{Pods: pods, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		objs, err := cluster.Decode("dump.json", dump.Bytes()) // keeps each object's JSON
		if err != nil {
			b.Fatal(err)
		}
		fc := &fixedCluster{}
		fc.set(objs)
		e := newEngine(b)
		e.cluster, e.adm.Cluster, e.adm.Profile, e.adm.scanAll = fc, fc, profile, !indexed
		// A new Pod like the dump's first one, on its volumes.
		var first map[string]any
		for _, o := range objs {
			if o.Kind == "Pod" {
				if err := json.Unmarshal(o.Raw, &first); err != nil {
					b.Fatal(err)
				}
				break
			}
		}
		first["metadata"].(map[string]any)["name"] = "bench-new"
		raw, err := json.Marshal(first)
		if err != nil {
			b.Fatal(err)
		}
		ns := first["metadata"].(map[string]any)["namespace"].(string)
		req := &admissionv1.AdmissionRequest{UID: "bench", Kind: metav1.GroupVersionKind{Kind: "Pod"}, Namespace: ns,
			Name: "bench-new", Operation: admissionv1.Create, Object: runtime.RawExtension{Raw: raw}}
		latencies := make([]time.Duration, 0, b.N)
		done := make(chan time.Duration, b.N)
		tick := time.NewTicker(requestInterval)
		defer tick.Stop()
		b.ResetTimer()
		for range b.N {
			<-tick.C
			go func() {
				start := time.Now()
				if _, err := e.send(context.Background(), "/validate", req); err != nil {
					b.Error(err)
				}
				done <- time.Since(start)
			}()
		}
		for range b.N {
			latencies = append(latencies, <-done)
		}
		b.StopTimer()
		slices.Sort(latencies)
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	})
}
