#!/usr/bin/env bash
# Benchmarks selmount scan against decoding alone, at 10k and 100k pods, and prints the ratios the
# performance budget is stated in: scan ≤ 2× decode at each size, and linear growth 10k → 100k.
# Audit (build + model + JSON, without decode) is shown too, so that its growth is not hidden in
# decode's; allocations are the machine-independent measure of linearity, times the felt one.
#
#   bash bench/run.sh                          # from anywhere; several minutes on 2 cores
#   BENCH_OUT=/tmp/bench.txt bash bench/run.sh # also keep the raw go test output
set -euo pipefail
cd "$(dirname "$0")/.."

out="${BENCH_OUT:-$(mktemp)}"
go test -run '^$' -bench . -benchtime 3x -benchmem ./cmd/selmount | tee "$out"

awk '
/^Benchmark(Decode|Scan|Audit)\/pods=[0-9]+/ {
	split($1, name, "/"); sub(/^Benchmark/, "", name[1])
	pods = name[2]; sub(/^pods=/, "", pods); sub(/-[0-9]+$/, "", pods)
	for (i = 2; i <= NF; i++) {
		if ($i == "ns/op") ns[name[1], pods] = $(i - 1)
		if ($i == "allocs/op") allocs[name[1], pods] = $(i - 1)
	}
	sizes[pods] = 1
}
END {
	n = 0
	for (p in sizes) list[++n] = p + 0
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
	if (n == 0) { print "no benchmark results" > "/dev/stderr"; exit 1 }
	print ""
	printf "%-8s %12s %12s %12s %12s\n", "pods", "decode s/op", "scan s/op", "audit s/op", "scan/decode"
	worst = 0
	for (i = 1; i <= n; i++) {
		p = list[i]; r = ns["Scan", p] / ns["Decode", p]; if (r > worst) worst = r
		printf "%-8d %12.2f %12.2f %12.2f %12.2f\n", p, ns["Decode", p] / 1e9, ns["Scan", p] / 1e9, ns["Audit", p] / 1e9, r
	}
	if (n > 1) {
		lo = list[1]; hi = list[n]; f = hi / lo
		printf "\ngrowth %d -> %d pods (x%g; linear = x%g):\n", lo, hi, f, f
		printf "  %-7s time x%6.2f   allocs x%6.2f\n", "decode", ns["Decode", hi] / ns["Decode", lo], allocs["Decode", hi] / allocs["Decode", lo]
		printf "  %-7s time x%6.2f   allocs x%6.2f\n", "scan", ns["Scan", hi] / ns["Scan", lo], allocs["Scan", hi] / allocs["Scan", lo]
		if (ns["Audit", lo] > 0)
			printf "  %-7s time x%6.2f   allocs x%6.2f\n", "audit", ns["Audit", hi] / ns["Audit", lo], allocs["Audit", hi] / allocs["Audit", lo]
	}
	printf "\nbudget scan <= 2x decode: %s (worst %.2f)\n", (worst <= 2 ? "met" : "MISSED"), worst
}' "$out"
