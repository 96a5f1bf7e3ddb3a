#!/usr/bin/env bash
# Cold start of the CLI: wall time per run of `labelbridge unlock --label jc-star:STAR-1`
# (load and validate the data, compile and prepare the policies, decide, render), against
# `labelbridge --help` (process start only) in the same run. Usage: bench/cold.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
go build -trimpath -o bin/labelbridge ./cmd/labelbridge
time_runs() {
	local start end
	start=$(date +%s%N)
	for _ in $(seq "$runs"); do "$@" >/dev/null; done
	end=$(date +%s%N)
	echo $(((end - start) / runs / 1000))
}
"bin/labelbridge" unlock --label jc-star:STAR-1 >/dev/null # warm the page cache
help=$(time_runs bin/labelbridge --help)
schemes=$(time_runs bin/labelbridge schemes)
unlock=$(time_runs bin/labelbridge unlock --label jc-star:STAR-1)
check=$(time_runs bin/labelbridge check --market GB --label jc-star:STAR-1)
printf 'machine: %s, %s cores; %s runs each\n' "$(uname -m)" "$(nproc)" "$runs"
printf '%-44s %8s µs\n' "labelbridge --help (process start)" "$help" \
	"labelbridge schemes (load + validate data)" "$schemes" \
	"labelbridge unlock --label jc-star:STAR-1" "$unlock" \
	"labelbridge check --market GB --label ..." "$check"
awk -v u="$unlock" -v h="$help" 'BEGIN { printf "unlock / --help = %.1fx\n", u / h }'
