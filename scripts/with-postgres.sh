#!/usr/bin/env bash
# Runs a command against a private PostgreSQL server started for it, then stops the server.
#   scripts/with-postgres.sh pytest …           (throw-away cluster, new each run)
#   XUEDAI_PG_KEEP=1 scripts/with-postgres.sh …  (keeps the data folder, e.g. a benchmark portfolio)
# The server refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail

port="${XUEDAI_PG_PORT:-54329}"
data="${XUEDAI_PG_DIR:-/tmp/xuedai-pg-$port}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ]; then
  echo "找不到 PostgreSQL 服务器 / no PostgreSQL server: run scripts/setup-system.sh" >&2
  exit 1
fi
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi

if [ "${XUEDAI_PG_KEEP:-0}" != "1" ] || [ ! -f "$data/PG_VERSION" ]; then
  if [ -f "$data/postmaster.pid" ]; then "${as_pg[@]}" "$bin/pg_ctl" -D "$data" stop -m immediate >/dev/null 2>&1 || true; fi
  rm -rf "$data"
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
  "${as_pg[@]}" "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi
# Durability off: this server holds only test or benchmark data that a run re-creates.
"${as_pg[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o \
  "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
   -c full_page_writes=off -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB \
   -c max_wal_size=8GB -c max_connections=200" start >/dev/null
stop() { "${as_pg[@]}" "$bin/pg_ctl" -D "$data" stop -m fast >/dev/null 2>&1 || true; }
trap stop EXIT
"$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='xuedai'" \
  | grep -q 1 || "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres xuedai
export XUEDAI_DATABASE_URL="postgres://postgres@127.0.0.1:$port/xuedai"
"$@"
