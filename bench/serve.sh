#!/usr/bin/env bash
# Server benchmark, all in one run on this machine (see BENCHMARKS.md for a recorded run): the
# labelbridge server and an OPA server with the labelbridge bundle, both built here, are sent the
# same full unlock requests (later changes and gap counts included) by 8 clients over loopback:
#   new:      N generated products, each asked once (no two requests alike);
#   repeated: another N products, the list sent PASSES times (a catalogue asked about again).
# Each server runs alone (the other is stopped), each side once per scenario, in turn. Prints
# req/s, p50 and p99 per side, the ratios, and the labelbridge server's RSS after each part.
# Usage: bench/serve.sh [N] [PASSES]   (LB_ADDR, OPA_ADDR: the loopback addresses to use)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
passes=${2:-10}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

go build -trimpath -o "$work/labelbridge" ./cmd/labelbridge
go build -trimpath -o "$work/serveclient" ./bench/serveclient
go build -o "$work/opa" github.com/open-policy-agent/opa
"$work/labelbridge" bundle --out "$work/labelbridge.tar.gz" 2>/dev/null
go run ./bench/genproducts -n "$n" -seed 1 -claims=false >"$work/new.jsonl"
go run ./bench/genproducts -n "$n" -seed 2 -claims=false >"$work/repeated.jsonl"

lb=${LB_ADDR:-127.0.0.1:18080}
opa=${OPA_ADDR:-127.0.0.1:18181}
start_lb() {
	"$work/labelbridge" serve --addr "$lb" 2>/dev/null &
	lb_pid=$!
	pids+=("$lb_pid")
	for _ in $(seq 200); do curl -sf "$lb/healthz" >/dev/null && return; sleep 0.1; done
	echo "labelbridge serve did not start" >&2
	exit 1
}
start_opa() {
	"$work/opa" run --server --addr "$opa" --bundle "$work/labelbridge.tar.gz" --log-level error 2>/dev/null &
	opa_pid=$!
	pids+=("$opa_pid")
	for _ in $(seq 200); do curl -sf "$opa/health?bundles=true" >/dev/null && return; sleep 0.1; done
	echo "opa did not start" >&2
	exit 1
}
rss() { awk '/^VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$1/status"; }
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($(i+1) == k) print $i }' <<<"$1"; }

start_opa
opa_new=$("$work/serveclient" -target opa -url "http://$opa" -n "$n" <"$work/new.jsonl")
opa_rep=$("$work/serveclient" -target opa -url "http://$opa" -n "$n" -passes "$passes" <"$work/repeated.jsonl")
kill "$opa_pid"
wait "$opa_pid" 2>/dev/null || true

start_lb
rss_start=$(rss "$lb_pid")
lb_new=$("$work/serveclient" -target labelbridge -url "http://$lb" -n "$n" <"$work/new.jsonl")
rss_new=$(rss "$lb_pid")
lb_rep=$("$work/serveclient" -target labelbridge -url "http://$lb" -n "$n" -passes "$passes" <"$work/repeated.jsonl")
rss_rep=$(rss "$lb_pid")
lb_rep2=$("$work/serveclient" -target labelbridge -url "http://$lb" -n "$n" -passes "$passes" <"$work/repeated.jsonl")
rss_rep2=$(rss "$lb_pid")

echo "full unlock (later and gap counts), 8 clients, loopback; $n products; repeated = $passes passes"
printf '%-22s %s\n' "new, OPA" "$opa_new" "new, labelbridge" "$lb_new" "repeated, OPA" "$opa_rep" "repeated, labelbridge" "$lb_rep"
awk -v a="$(field "$lb_new" req/s,)" -v b="$(field "$opa_new" req/s,)" -v c="$(field "$lb_rep" req/s,)" -v d="$(field "$opa_rep" req/s,)" 'BEGIN {
	printf "new: labelbridge / OPA = %.2fx (target >= 1x)\n", a / b
	printf "repeated: labelbridge / OPA = %.2fx (target >= 5x)\n", c / d
}'
echo "labelbridge RSS: started $rss_start, after new $rss_new, after $((n * passes)) repeated $rss_rep, after $((n * passes)) more $rss_rep2"
echo "again, labelbridge: $lb_rep2"
