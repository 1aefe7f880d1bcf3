#!/usr/bin/env bash
# Issue 12's worst layout: every Pod on one volume, 20 namespaces each with its own level, so every
# two Pods of different namespaces conflict (pairs grow with Pods²). Times `selmount scan -o json`
# (the grouped report) on 1k, 10k and 100k Pods (bench/gendump -shared-namespaces 20) and prints, from
# this one run, time, peak RSS and output size per size and their growth per 10× Pods (linear: ≈ ×10),
# with json.Valid of each file as the floor; and `--pairs` on 250 and 500 Pods, whose output grows ×4
# for ×2 Pods. Each figure is the best (time) or largest (RSS) of BENCH_RUNS runs (default 3).
#
#   bash bench/shared.sh                    # about a minute on 2 cores
#   BENCH_RUNS=5 BENCH_DIR=/tmp/b bash bench/shared.sh
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${BENCH_RUNS:-3}"
work="${BENCH_DIR:-}"
if [ -z "$work" ]; then
	work="$(mktemp -d)"
	trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

echo "building selmount, measure, gendump ..." >&2
go build -o "$work/selmount" ./cmd/selmount
go build -o "$work/measure" ./bench/measure
go build -o "$work/gendump" ./bench/gendump
sizes="250 500 1000 10000 100000"
for n in $sizes; do
	[ -s "$work/shared-$n.json" ] || "$work/gendump" -pods "$n" -shared-namespaces 20 -o "$work/shared-$n.json"
done

results="$work/shared-results.txt"
: > "$results"
record() { echo "$1 $2" >> "$results"; }

scan() { # scan NAME FILE [FLAG]: one run, recorded as NAME.wall and NAME.rss; exit 1 is the findings
	local r
	r=$("$work/measure" run "$work/selmount" scan ${3:-} -o json "$2")
	set -- "$1" $r
	record "$1.wall" "$2"
	record "$1.rss" "$5"
	[ "$6" -le 1 ] || { echo "bench: scan of $2 exited $6" >&2; exit 1; }
}

for i in $(seq "$runs"); do
	echo "run $i of $runs ..." >&2
	for n in 1000 10000 100000; do
		record "valid$n" "$("$work/measure" valid "$work/shared-$n.json")"
		scan "grouped$n" "$work/shared-$n.json"
	done
	for n in 250 500; do
		scan "pairs$n" "$work/shared-$n.json" --pairs
	done
done
for n in 1000 10000 100000; do
	record "out$n" "$("$work/selmount" scan -o json "$work/shared-$n.json" | wc -c)"
done
for n in 250 500; do
	record "pairsout$n" "$("$work/selmount" scan --pairs -o json "$work/shared-$n.json" | wc -c)"
done

awk -v cpus="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
	-v f1="$(stat -c %s "$work/shared-1000.json")" -v f10="$(stat -c %s "$work/shared-10000.json")" -v f100="$(stat -c %s "$work/shared-100000.json")" '
{
	if (!($1 in min) || $2 < min[$1]) min[$1] = $2
	if (!($1 in max) || $2 > max[$1]) max[$1] = $2
}
END {
	mb = 1048576
	printf "\nmachine: %d cores, load average %s at the end of the run\n\n", cpus, load
	printf "%-26s %8s %9s %9s %10s %8s %10s\n", "input (one volume, 20 ns)", "file MB", "valid s", "scan s", "scan/valid", "RSS MB", "output MB"
	split("1000 10000 100000", ns, " "); size[1000] = f1; size[10000] = f10; size[100000] = f100
	for (i = 1; i <= 3; i++) {
		n = ns[i]
		printf "%-26s %8.1f %9.3f %9.3f %10.1f %8.0f %10.2f\n", n " pods, grouped", size[n] / mb, min["valid" n], min["grouped" n ".wall"], min["grouped" n ".wall"] / min["valid" n], max["grouped" n ".rss"] / mb, min["out" n] / mb
	}
	for (i = 1; i <= 2; i++) {
		a = ns[i]; b = ns[i + 1]
		printf "growth %6d -> %6d pods (x10): scan time x%.1f, peak RSS x%.1f, output x%.1f, json.Valid x%.1f\n", a, b,
			min["grouped" b ".wall"] / min["grouped" a ".wall"], max["grouped" b ".rss"] / max["grouped" a ".rss"], min["out" b] / min["out" a], min["valid" b] / min["valid" a]
	}
	printf "\n--pairs (one finding per pair):  250 pods %.2f s, %.0f MB RSS, %.1f MB output;  500 pods %.2f s, %.0f MB RSS, %.1f MB output\n",
		min["pairs250.wall"], max["pairs250.rss"] / mb, min["pairsout250"] / mb, min["pairs500.wall"], max["pairs500.rss"] / mb, min["pairsout500"] / mb
	printf "growth 250 -> 500 pods (x2) with --pairs: time x%.1f, output x%.1f (quadratic: x4)\n", min["pairs500.wall"] / min["pairs250.wall"], min["pairsout500"] / min["pairsout250"]
}' "$results"
