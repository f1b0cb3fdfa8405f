#!/usr/bin/env bash
# with-postgres.sh CMD... — run CMD with a private PostgreSQL server (Debian's package)
# in a temporary directory on a loopback port, and VELLUM_TEST_POSTGRES set to its URL.
# The collector's tests run their suite against it as well as against SQLite.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL is not installed (make deps installs it)" >&2
  exec "$@"
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/vellum-pg.XXXXXX")
port=$(( 20000 + RANDOM % 20000 ))
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root.
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U vellum --auth=trust -E UTF8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
export VELLUM_TEST_POSTGRES="postgres://vellum@127.0.0.1:$port/postgres?sslmode=disable"
"$@"
