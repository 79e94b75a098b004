#!/usr/bin/env bash
# pg.sh — a throwaway local PostgreSQL for tests.
#
#   scripts/pg.sh start DIR   initialise (once) and start a server in DIR; prints its URL
#   scripts/pg.sh stop DIR    stop it
#   scripts/pg.sh url DIR     print its URL
#
# The server listens on 127.0.0.1 only, on the first free port from 54329 up
# (kept in DIR/port), with its unix socket inside DIR and durability turned off.
# Only the URL goes to stdout; the server log is DIR/log. Run as root, the
# server runs as the postgres user, which must be able to reach DIR: the script
# grants o+x on DIR's parent directories when needed.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

usage() { die "usage: pg.sh start|stop|url DIR"; }

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
data=$dir/data
log=$dir/log

# find_bin makes initdb, pg_ctl and postgres callable, installing the Debian
# package as a last resort (its cluster service is never started).
find_bin() {
	if command -v initdb >/dev/null && command -v pg_ctl >/dev/null && command -v postgres >/dev/null; then
		return
	fi
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
			PATH=$d:$PATH
			return
		fi
	done
	[ "$(id -u)" -eq 0 ] || die "PostgreSQL binaries not found; install postgresql"
	echo "pg.sh: installing postgresql" >&2
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ]; then
			PATH=$d:$PATH
			return
		fi
	done
	die "PostgreSQL binaries not found after installing postgresql"
}

# as_pg runs a server command as the postgres user when we are root.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- env PATH="$PATH" "$@"
	else
		"$@"
	fi
}

url() {
	[ -f "$dir/port" ] || die "no server in $dir (run: pg.sh start $dir)"
	echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres?sslmode=disable"
}

running() { [ -f "$data/postmaster.pid" ] && as_pg pg_ctl -D "$data" status >/dev/null 2>&1; }

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# open_path lets the postgres user traverse every parent of DIR.
open_path() {
	local p=$dir
	while [ "$p" != "/" ]; do
		p=$(dirname "$p")
		if ! runuser -u postgres -- test -x "$p" 2>/dev/null; then
			chmod o+x "$p"
		fi
	done
}

start() {
	find_bin
	if running; then
		url
		return
	fi
	touch "$log"
	if [ "$(id -u)" -eq 0 ]; then
		open_path
		chown -R postgres: "$dir"
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		rm -rf "$data"
		if ! as_pg initdb -D "$data" --auth=trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >>"$log" 2>&1; then
			rm -rf "$data"
			as_pg initdb -D "$data" --auth=trust -U postgres --encoding=UTF8 --locale=C >>"$log" 2>&1 ||
				die "initdb failed; see $log"
		fi
	fi
	local port=54329
	while ! port_free "$port"; do
		port=$((port + 1))
		[ "$port" -lt 54429 ] || die "no free port in 54329..54428"
	done
	echo "$port" >"$dir/port"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir/port"
	as_pg pg_ctl -D "$data" -l "$log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null || die "server did not start; see $log"
	url
}

stop() {
	find_bin
	if [ -f "$data/postmaster.pid" ]; then
		as_pg pg_ctl -D "$data" -m fast -w stop >/dev/null || die "server did not stop; see $log"
	fi
}

case $cmd in
start) start ;;
stop) stop ;;
url) url ;;
*) usage ;;
esac
