#!/usr/bin/env bash
# Times `selmount scan -o json` on generated 10k- and 100k-Pod dumps (bench/gendump) against the
# floor of reading them, and against conftest on the 10k dump, and prints the budgets of issue 16:
#
#   scan ≤ 3× json.Valid of the same file    one tokenization is the least any decoder does
#   peak RSS ≤ 1.5× file size + a constant   the constant: the peak RSS of scanning a 100-Pod dump
#   ≥ 50× faster than conftest (10k dump)    `conftest test --combine -p rego/`, conftest v0.71.1
#   linear 10k → 100k                        scan time and peak RSS grow at most 12× for 10× the Pods
#
# and, for the YAML path, a scan of the 10k dump as multi-document YAML against json.Valid of its
# JSON form. Every ratio is taken within this one run; each figure is the best of BENCH_RUNS runs
# (default 3), the two sides of a ratio run alternately, because a shared machine's load comes and
# goes. Peak RSS is the largest of the runs. Linux only (getrusage through bench/measure).
#
#   bash bench/run.sh                      # several minutes on 2 cores
#   CONFTEST=/path/to/conftest bash bench/run.sh
#   BENCH_RUNS=5 BENCH_DIR=/tmp/b bash bench/run.sh   # keep the dumps and binaries in /tmp/b
#   BENCH_CONFTEST=0 bash bench/run.sh     # while iterating: skip conftest (~75 s on a loaded machine)
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${BENCH_RUNS:-3}"
conftest_version=0.71.1
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
for n in 100 10000 100000; do
	[ -s "$work/dump-$n.json" ] || "$work/gendump" -pods "$n" -o "$work/dump-$n.json"
done
[ -s "$work/dump-10000.yaml" ] || "$work/measure" yaml "$work/dump-10000.json" "$work/dump-10000.yaml"

with_conftest="${BENCH_CONFTEST:-1}"
conftest="${CONFTEST:-}"
if [ "$with_conftest" = 0 ]; then
	:
elif [ -z "$conftest" ]; then
	cache="${XDG_CACHE_HOME:-$HOME/.cache}/selmount-bench/conftest-v$conftest_version"
	if [ ! -x "$cache/conftest" ]; then
		echo "installing conftest v$conftest_version into $cache ..." >&2
		GOBIN="$cache" go install "github.com/open-policy-agent/conftest@v$conftest_version"
	fi
	conftest="$cache/conftest"
fi
# go install leaves `conftest --version` at "dev"; the module version is in the binary's build info.
[ "$with_conftest" = 0 ] || go version -m "$conftest" | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/open-policy-agent/conftest[[:space:]]+v$conftest_version[[:space:]]" ||
	{ echo "bench: $conftest is not conftest v$conftest_version" >&2; exit 1; }

# results: one line per measurement, "name value".
results="$work/results.txt"
: > "$results"
record() { echo "$1 $2" >> "$results"; }

scan() { # scan NAME FILE: one run, recorded as NAME.wall, NAME.cpu, NAME.rss
	local r
	r=$("$work/measure" run "$work/selmount" scan -o json "$2")
	set -- "$1" $r
	record "$1.wall" "$2"
	record "$1.cpu" "$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')"
	record "$1.rss" "$5"
	[ "$6" -le 1 ] || { echo "bench: scan of $2 exited $6" >&2; exit 1; }
}

for i in $(seq "$runs"); do
	echo "run $i of $runs ..." >&2
	scan base "$work/dump-100.json"
	for n in 10000 100000; do
		record "valid$n" "$("$work/measure" valid "$work/dump-$n.json")"
		scan "scan$n" "$work/dump-$n.json"
	done
	record valid10000 "$("$work/measure" valid "$work/dump-10000.json")"
	scan yaml10000 "$work/dump-10000.yaml"
done
if [ "$with_conftest" != 0 ]; then
	echo "conftest on the 10k dump ..." >&2
	r=$("$work/measure" run "$conftest" test --combine --no-color -p rego/ "$work/dump-10000.json" 2>/dev/null)
	record conftest.wall "$(echo "$r" | awk '{ print $1 }')"
	record conftest.rss "$(echo "$r" | awk '{ print $4 }')"
	scan scan10000 "$work/dump-10000.json" # right after conftest, under the same load
fi

awk -v s10="$(stat -c %s "$work/dump-10000.json")" -v s100="$(stat -c %s "$work/dump-100000.json")" \
	-v y10="$(stat -c %s "$work/dump-10000.yaml")" -v cpus="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
function best(k) { return min[k] }
{
	if (!($1 in min) || $2 < min[$1]) min[$1] = $2
	if (!($1 in max) || $2 > max[$1]) max[$1] = $2
}
END {
	mb = 1048576
	base = max["base.rss"]
	printf "\nmachine: %d cores, load average %s at the end of the run\n\n", cpus, load
	printf "%-18s %9s %9s %9s %10s %9s %9s %12s\n", "input", "file MB", "valid s", "scan s", "scan/valid", "cpu s", "RSS MB", "(RSS-c)/file"
	split("10000 100000", ns, " ")
	for (i = 1; i <= 2; i++) {
		n = ns[i]; size = (n == 10000 ? s10 : s100)
		ratio[n] = best("scan" n ".wall") / best("valid" n)
		mem[n] = (max["scan" n ".rss"] - base) / size
		printf "%-18s %9.1f %9.3f %9.3f %10.2f %9.2f %9.0f %12.2f\n", n " pods, JSON", size / mb, best("valid" n), best("scan" n ".wall"), ratio[n], best("scan" n ".cpu"), max["scan" n ".rss"] / mb, mem[n]
	}
	yr = best("yaml10000.wall") / best("valid10000")
	printf "%-18s %9.1f %9s %9.3f %10.2f %9.2f %9.0f %12.2f\n", "10000 pods, YAML", y10 / mb, "(JSON)", best("yaml10000.wall"), yr, best("yaml10000.cpu"), max["yaml10000.rss"] / mb, (max["yaml10000.rss"] - base) / y10
	printf "\nconstant c = peak RSS of scanning a 100-pod dump: %.0f MB\n", base / mb
	gt = best("scan100000.wall") / best("scan10000.wall")
	gm = (max["scan100000.rss"] - base) / (max["scan10000.rss"] - base)
	printf "growth 10k -> 100k pods (x10 input): scan time x%.2f, peak RSS above c x%.2f, json.Valid x%.2f\n", gt, gm, best("valid100000") / best("valid10000")
	skipped = !("conftest.wall" in min)
	if (!skipped) {
		cf = min["conftest.wall"] / best("scan10000.wall")
		printf "conftest v0.71.1 on the 10k dump: %.1f s, %.0f MB peak; scan is %.0fx faster\n", min["conftest.wall"], max["conftest.rss"] / mb, cf
	}
	worst = ratio[10000] > ratio[100000] ? ratio[10000] : ratio[100000]
	wmem = mem[10000] > mem[100000] ? mem[10000] : mem[100000]
	printf "\nbudget scan <= 3x json.Valid:           %s (worst %.2f)\n", (worst <= 3 ? "met" : "MISSED"), worst
	printf "budget peak RSS <= 1.5x file + c:       %s (worst %.2f)\n", (wmem <= 1.5 ? "met" : "MISSED"), wmem
	if (skipped)
		printf "budget >= 50x faster than conftest:     not measured (BENCH_CONFTEST=0)\n"
	else
		printf "budget >= 50x faster than conftest:     %s (%.0fx)\n", (cf >= 50 ? "met" : "MISSED"), cf
	printf "budget linear 10k -> 100k (<= x12):     %s (time x%.2f, memory x%.2f)\n", (gt <= 12 && gm <= 12 ? "met" : "MISSED"), gt, gm
	printf "YAML (not budgeted): scan of the 10k dump as YAML = %.1fx json.Valid of its JSON\n", yr
}' "$results"
