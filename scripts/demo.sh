#!/usr/bin/env bash
# demo.sh — the main job end to end on a fresh machine: a throwaway
# PostgreSQL in .tmp/demo-pg, staffseed built into bin/, then plan and
# apply of examples/px360.yaml with credential emails written to ./outbox.
# Run it again: the plan says there is nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."

spec=${SPEC:-examples/px360.yaml}
server=$(scripts/pg.sh start .tmp/demo-pg)
base=${server%/postgres\?*}
if ! psql "$server" -Atqc "SELECT 1 FROM pg_database WHERE datname = 'px360_demo'" | grep -q 1; then
	psql "$server" -qc "CREATE DATABASE px360_demo"
fi
export DATABASE_URL="$base/px360_demo?sslmode=disable"

go build -o bin/staffseed ./cmd/staffseed

echo "==> staffseed plan -f $spec"
bin/staffseed plan -f "$spec"
echo
echo "==> staffseed apply -f $spec --auto-approve"
bin/staffseed apply -f "$spec" --auto-approve
echo
echo "==> staffseed plan -f $spec   (again: nothing left to do)"
bin/staffseed plan -f "$spec"

cat <<MSG

Where to look:
  credential emails   ./outbox/*.eml ($(ls outbox 2>/dev/null | wc -l) files)
  the database        psql '$DATABASE_URL' -c 'SELECT employee_id, first_name, last_name, gender, email FROM staff ORDER BY id LIMIT 10'
  run staffseed       DATABASE_URL='$DATABASE_URL' bin/staffseed plan -f $spec
  stop the server     scripts/pg.sh stop .tmp/demo-pg   (delete .tmp/demo-pg and outbox/ to start over)
MSG
