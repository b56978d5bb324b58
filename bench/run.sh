#!/usr/bin/env bash
# Runs the benchmarks of every server side by side, then prints them with
# benchstat (one column per server), the security stack's benchmarks, and
# the ratios of secgen to the others.
#
#   ./run.sh                      count 10, results in results/bench.txt
#   COUNT=5 OUT=/tmp/b.txt ./run.sh
#   INTERLEAVE=1 ./run.sh         COUNT rounds of -count 1, so that every
#                                 round times all four servers close together
#                                 (steadier ratios on a machine with other load)
#
# A server that fails its benchmark's status check (see bench_test.go) is
# left out of the tables and the script exits non-zero after printing them.
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-10}
out=${OUT:-results/bench.txt}
benchstat=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

mkdir -p "$(dirname "$out")"
{
	date -u +%Y-%m-%dT%H:%M:%SZ
	go version
	git describe --always --dirty 2>/dev/null || true
	uptime
} | tee "$out.meta"
status=0
if [[ -n ${INTERLEAVE:-} ]]; then
	: >"$out"
	for ((i = 1; i <= count; i++)); do
		go test -run '^$' -bench . -benchmem -count 1 -timeout 30m | tee -a "$out" || status=$?
	done
else
	go test -run '^$' -bench . -benchmem -count "$count" -timeout 30m | tee "$out" || status=$?
fi
uptime | tee -a "$out.meta"
echo
# The per-server benchmarks side by side, then the stack's own.
servers='.name:/^(CreateUser|ListUsers|Stacked|HugeBody)/'
go run "$benchstat" -col /server -filter "$servers" "$out" | tee "$out.stat"
echo
go run "$benchstat" -filter '.name:/^(Stack|StackLayers|StackHTTP)$/' "$out" | tee "$out.stack.stat"
echo
go run "$benchstat" -col /server -filter "$servers" -format csv "$out" 2>/dev/null |
	go run ./cmd/ratios -base secgen -vs ogen,oapicodegen,floor | tee "$out.ratios"
exit "$status"
