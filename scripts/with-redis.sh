#!/usr/bin/env bash
# Runs a command with a private Redis server started for it (the broker of the distributed batches,
# src/xuedai/batch/distributed.py), then stops the server.
#   scripts/with-redis.sh pytest …      (port XUEDAI_REDIS_PORT; else XUEDAI_PG_PORT + 1000, so each
#                                         engineer's private PostgreSQL port names a Redis port too; else 56379)
#   scripts/with-redis.sh scripts/with-postgres.sh …    (both, as scripts/test.sh does)
# Exports XUEDAI_REDIS_URL for the command — not XUEDAI_BROKER_URL, which switches every batch to
# Celery: the distributed tests, the bench and the kill script set that themselves. No persistence to disk: a test or benchmark broker
# holds only messages a run re-sends (the batch's job row in PostgreSQL is what says what is done).
set -euo pipefail

default=56379
if [ -n "${XUEDAI_PG_PORT:-}" ]; then default=$((XUEDAI_PG_PORT + 1000)); fi
port="${XUEDAI_REDIS_PORT:-$default}"
dir="${XUEDAI_REDIS_DIR:-/tmp/xuedai-redis-$port}"
server="$(command -v redis-server || true)"
if [ -z "$server" ]; then
  echo "找不到 Redis 服务器 / no redis-server: run scripts/setup-system.sh" >&2
  exit 1
fi
mkdir -p "$dir"
if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
  kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  sleep 0.5
fi
"$server" --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
stop() {
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
}
trap stop EXIT
export XUEDAI_REDIS_URL="redis://127.0.0.1:$port/0"
export XUEDAI_REDIS_PORT="$port"
"$@"
