#!/usr/bin/env bash
# test.sh — run the whole test suite against a throwaway PostgreSQL in .tmp/pg,
# stopped afterwards whatever happens. Exits with go test's status.
set -uo pipefail
cd "$(dirname "$0")/.."

dir=.tmp/pg
url=$(scripts/pg.sh start "$dir") || exit 1
trap 'scripts/pg.sh stop "$dir"' EXIT
export STAFFSEED_TEST_DATABASE=$url

go vet ./... || exit 1
go test -count=1 "$@" ./...
