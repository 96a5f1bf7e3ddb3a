#!/usr/bin/env bash
# Cold start of the CLI: time per run of `labelbridge unlock --label jc-star:STAR-1` (load and
# validate the data, compile and prepare the policies, decide, render), against
# `labelbridge --help` (process start only) in the same run. Wall time, and the CPU time (user +
# system) the runs used: on a shared machine the wall time measures the other jobs too, the CPU
# time much less so. Usage: bench/cold.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
go build -trimpath -o bin/labelbridge ./cmd/labelbridge
# cpu_ms prints the CPU time (user + system) of the children `times` wrote to the file $1
# (`times` must run in the shell that ran them, not in a $(...) subshell).
cpu_ms() {
	tail -n 1 "$1" | awk '{ s = 0
		for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
		printf "%d", s * 1000 }'
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# time_runs prints "wall_µs cpu_µs" per run of the command.
time_runs() {
	local start end c0 c1
	times >"$tmp"
	c0=$(cpu_ms "$tmp")
	start=$(date +%s%N)
	for _ in $(seq "$runs"); do "$@" >/dev/null; done
	end=$(date +%s%N)
	times >"$tmp"
	c1=$(cpu_ms "$tmp")
	echo "$(((end - start) / runs / 1000)) $(((c1 - c0) * 1000 / runs))"
}
"bin/labelbridge" unlock --label jc-star:STAR-1 >/dev/null # warm the page cache
read -r help help_cpu < <(time_runs bin/labelbridge --help)
read -r schemes schemes_cpu < <(time_runs bin/labelbridge schemes)
read -r unlock unlock_cpu < <(time_runs bin/labelbridge unlock --label jc-star:STAR-1)
read -r check check_cpu < <(time_runs bin/labelbridge check --market GB --label jc-star:STAR-1)
printf 'machine: %s, %s cores; %s runs each\n' "$(uname -m)" "$(nproc)" "$runs"
printf '%-44s %10s %10s\n' "" "wall µs" "CPU µs" \
	"labelbridge --help (process start)" "$help" "$help_cpu" \
	"labelbridge schemes (load + validate data)" "$schemes" "$schemes_cpu" \
	"labelbridge unlock --label jc-star:STAR-1" "$unlock" "$unlock_cpu" \
	"labelbridge check --market GB --label ..." "$check" "$check_cpu"
awk -v u="$unlock" -v h="$help" -v uc="$unlock_cpu" -v hc="$help_cpu" \
	'BEGIN { printf "unlock / --help = %.1fx wall, %.1fx CPU\n", u / h, uc / (hc > 0 ? hc : 1) }'
