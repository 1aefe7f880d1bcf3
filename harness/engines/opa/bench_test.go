package opa

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/selmount/selmount/bench/dumpgen"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// BenchmarkConftest is `conftest test --combine` of a cluster dump with the Rego rules: the whole
// audit in conftest mode, at 1k and 10k Pods (pods share claims in small groups).
func BenchmarkConftest(b *testing.B) {
	e := engine(b)
	profile, _ := gates.Parse("")
	for _, pods := range []int{1000, 10000} {
		var buf bytes.Buffer
		if err := dumpgen.Write(&buf, dumpgen.Config{Pods: pods, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		objs, err := cluster.Decode("dump.json", buf.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			for b.Loop() {
				out, err := e.eval(context.Background(), profile, objs)
				if err != nil {
					b.Fatal(err)
				}
				if len(out.Findings) == 0 {
					b.Fatal("no findings")
				}
			}
		})
	}
}
