#!/bin/sh
# run.sh runs the benchmarks of this module interleaved and prints
# benchstat's table and a table of ratios to agenttrace-go.
#
#	benchmarks/run.sh [ROUNDS [CASES]]
#
# ROUNDS (default 6) is benchstat's sample count; CASES (default: all) is a
# space-separated list of benchmark names without the Benchmark prefix. Every
# round runs each case once per library, rotating through the libraries, so
# that drift on a shared machine hits all alike. The raw results go to
# $OUT (default bench-compare.txt in this directory); BENCHTIME (default 1s)
# is passed on as -test.benchtime.
set -eu
cd "$(dirname "$0")"
rounds=${1:-6}
cases=${2:-"Span SpanParallel SpanDisabled SpanNoProcessor Export Delivered Overload"}
out=${OUT:-bench-compare.txt}
benchtime=${BENCHTIME:-1s}
libs="agenttrace otel openai-agents-go cozeloop"

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go test -c -o "$bin/bench.test" .
go build -o "$bin/benchstat" golang.org/x/perf/cmd/benchstat

: >"$out"
for round in $(seq "$rounds"); do
	echo "round $round of $rounds" >&2
	for c in $cases; do
		for lib in $libs; do
			"$bin/bench.test" -test.run '^$' -test.bench "^Benchmark$c\$" -test.benchmem \
				-test.benchtime "$benchtime" -test.count 1 -impls "^$lib" >>"$out"
		done
	done
done

"$bin/benchstat" -col /impl "$out"
echo
"$bin/benchstat" -format csv -col /impl "$out" 2>/dev/null | go run ./cmd/ratios
