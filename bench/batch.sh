#!/usr/bin/env bash
# Batch benchmark, all in one run on this machine (see BENCHMARKS.md for a recorded run):
#   labelbridge batch on 200,000 generated products; the OPA server with the labelbridge bundle
#   over HTTP (a sample, same inputs, same compact decisions and claim verdicts); jq -c .
#   pass-through; the Go decode/encode floor (with the JSON decoder batch uses, and with
#   encoding/json beside it); and batch on 1,000,000 products for peak RSS.
# Usage: bench/batch.sh [N] [OPA_SAMPLE]   (needs jq; GNU time for RSS)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
sample=${2:-10000}
work=$(mktemp -d)
trap 'kill $(cat "$work/opa.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v jq >/dev/null || { echo "bench/batch.sh needs jq (apt-get install -y jq)" >&2; exit 2; }

go build -trimpath -o "$work/labelbridge" ./cmd/labelbridge
go build -trimpath -o "$work/floor" ./bench/floor
go build -trimpath -o "$work/opaclient" ./bench/opaclient
go build -o "$work/opa" github.com/open-policy-agent/opa
go run ./bench/genproducts -n "$n" >"$work/products.jsonl"
go run ./bench/genproducts -n "$n" -claims=false >"$work/noclaims.jsonl"
go run ./bench/genproducts -n 1000000 >"$work/products-1m.jsonl"

secs() { # run a command, print its wall seconds; stdout to /dev/null
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>"$work/stderr" || [ $? -eq 3 ]
	e=$(date +%s%N)
	awk -v d=$((e - s)) 'BEGIN { printf "%.3f", d / 1e9 }'
}
rss() { # peak RSS in MiB of a command
	/usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>/dev/null || true
	awk '{ printf "%.0f", $1 / 1024 }' "$work/rss"
}

batch=$(secs "$work/labelbridge" batch --as-of 2026-07-01 "$work/products.jsonl")
batch_summary=$(cat "$work/stderr")
batch_nc=$(secs "$work/labelbridge" batch --as-of 2026-07-01 "$work/noclaims.jsonl")
jq_nc=$(secs jq -c . "$work/noclaims.jsonl")
floor_nc=$(secs sh -c "'$work/floor' < '$work/noclaims.jsonl'")
jq=$(secs jq -c . "$work/products.jsonl")
floor=$(secs sh -c "'$work/floor' < '$work/products.jsonl'")
floor_std=$(secs sh -c "'$work/floor' -std < '$work/products.jsonl'")
batch_rss=$(rss "$work/labelbridge" batch --as-of 2026-07-01 "$work/products-1m.jsonl")
floor_rss=$(rss sh -c "'$work/floor' < '$work/products-1m.jsonl'")

"$work/labelbridge" bundle --out "$work/labelbridge.tar.gz" 2>/dev/null
"$work/opa" run --server --addr 127.0.0.1:18181 --bundle "$work/labelbridge.tar.gz" --log-level error 2>/dev/null &
echo $! >"$work/opa.pid"
for _ in $(seq 100); do curl -sf 127.0.0.1:18181/health?bundles=true >/dev/null && break; sleep 0.1; done
opa_line=$(head -n "$sample" "$work/products.jsonl" | "$work/opaclient" -url http://127.0.0.1:18181 -n "$sample" -c 8)
opa_rate=$(echo "$opa_line" | awk '{ for (i = 1; i <= NF; i++) if ($(i+1) == "products/s,") print $i }')

awk -v bn="$batch_nc" -v jn="$jq_nc" -v fn="$floor_nc" -v n="$n" -v b="$batch" -v j="$jq" -v f="$floor" -v fs="$floor_std" -v o="$opa_rate" -v br="$batch_rss" -v fr="$floor_rss" 'BEGIN {
	printf "products: %d (10%% carry a claim)\n", n
	printf "%-34s %8.2f s %10.0f products/s\n", "labelbridge batch", b, n / b
	printf "%-34s %8.2f s %10.0f products/s\n", "jq -c . (pass-through)", j, n / j
	printf "%-34s %8.2f s %10.0f products/s\n", "Go decode/encode floor", f, n / f
	printf "%-34s %8.2f s %10.0f products/s\n", "  the same with encoding/json", fs, n / fs
	printf "%-34s %8s   %10.0f products/s (sample)\n", "OPA server, HTTP, 8 clients", "", o
	printf "batch / jq = %.2fx (target >= 1.5x)\n", j / b
	printf "batch / floor = %.0f%% (target >= 70%%); with encoding/json %.0f%%\n", 100 * f / b, 100 * fs / b
	printf "batch / OPA = %.0fx (target >= 20x)\n", (n / b) / o
	printf "peak RSS, 1,000,000 products: batch %d MiB (target <= 200), floor %d MiB\n", br, fr
	printf "without claims: batch %.2f s (%.0f products/s), jq %.2f s, floor %.2f s: batch / jq = %.2fx, batch / floor = %.0f%%\n", bn, n / bn, jn, fn, jn / bn, 100 * fn / bn
}'
echo "batch summary: $batch_summary"
echo "$opa_line"
