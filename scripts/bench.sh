#!/usr/bin/env bash
# bench.sh — the Go benchmarks of generation, planning, rendering and bulk
# writes, then the scale run (apply, no-op plan and peak memory at 1k, 10k
# and 100k staff against a plain COPY; accounts against the hashing alone)
# on a throwaway PostgreSQL in .tmp/bench-pg, stopped afterwards.
#
#   BENCH_SIZES=1000,10000,100000  staff counts of the scale run
#   BENCH_ACCOUNTS=1000            accounts of the hashing figure (0: skip)
#   BENCH_REPEAT=2                 measurements of each size; the best count
set -uo pipefail
cd "$(dirname "$0")/.."

dir=.tmp/bench-pg
mkdir -p .tmp/bench
url=$(scripts/pg.sh start "$dir") || exit 1
trap 'scripts/pg.sh stop "$dir"' EXIT
export STAFFSEED_TEST_DATABASE=$url

echo "## Go benchmarks"
go test -run '^$' -bench . -benchtime 3x ./internal/generate/ ./plan/ ./internal/render/ ./internal/store/ ./internal/password/ || exit 1

echo
echo "## Scale run"
go build -o .tmp/bench/staffseed ./cmd/staffseed || exit 1
go run ./cmd/staffseed-bench --staffseed .tmp/bench/staffseed --server "$url" --dir .tmp/bench \
	--sizes "${BENCH_SIZES:-1000,10000,100000}" --accounts "${BENCH_ACCOUNTS:-1000}" --repeat "${BENCH_REPEAT:-2}"
