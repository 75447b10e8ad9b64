#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the vote store's tests
# and benchmark, and prints the line that points them at it:
#
#   eval "$(functions/vote/postgres/testdata/start-postgres.sh)"
#   go test ./functions/vote/postgres/
#
# It is idempotent: it installs PostgreSQL from Debian's packages only when no
# server binaries are found, creates the cluster only once, and starts the
# server only when it is not already running. Everything goes to stderr but
# the export line. Stop it with: start-postgres.sh stop
#
# Environment: POSTCARD_PG_DIR (the cluster's folder, default
# ${TMPDIR:-/tmp}/postcard-postgres), POSTCARD_PG_PORT (default 55432),
# POSTCARD_PG_MAX_CONNECTIONS (default 200; read when the server starts).
# Authentication is "trust" on 127.0.0.1 only: this server is for tests.
set -euo pipefail

dir=${POSTCARD_PG_DIR:-${TMPDIR:-/tmp}/postcard-postgres}
port=${POSTCARD_PG_PORT:-55432}
db=postcard_test

log() { echo "start-postgres: $*" >&2; }

find_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin=$(find_bin)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
	log "installing PostgreSQL from Debian's packages"
	if [[ $(id -u) -ne 0 ]]; then
		log "not root: install the postgresql package first"; exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq postgresql >&2
	bin=$(find_bin)
fi

# initdb and postgres refuse to run as root.
as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

if [[ "${1:-}" == stop ]]; then
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
	fi
	exit 0
fi

mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then
	chown postgres: "$dir"
fi

if [[ ! -f "$dir/data/PG_VERSION" ]]; then
	log "creating a cluster in $dir/data"
	as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >&2
fi

if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
	log "starting on 127.0.0.1:$port"
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=${POSTCARD_PG_MAX_CONNECTIONS:-200} -c fsync=on -c synchronous_commit=on" \
		start >&2
fi

psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1)
if [[ -z $("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
	"${psql[@]}" -c "CREATE DATABASE $db" >&2
fi

echo "export POSTCARD_TEST_POSTGRES='postgres://postgres@127.0.0.1:$port/$db?sslmode=disable'"
