#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite (fast lane), then on a PostgreSQL server this run
# starts itself, browser tests (Debian's chromium through Playwright) and the distributed batches
# (Celery workers on a private Redis, scripts/with-redis.sh) included.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
start=$(date +%s)

echo "== ruff"
$bin/ruff check src tests bench
echo "== mypy (core/)"
$bin/mypy

echo "== pytest · SQLite"
$bin/pytest -n 2 -m "not browser and not postgres_only" -p no:cacheprovider

echo "== pytest · PostgreSQL (with browser tests; a private Redis for the distributed batches)"
scripts/with-redis.sh scripts/with-postgres.sh $bin/pytest -n 2 -p no:cacheprovider

echo "== suite time: $(( $(date +%s) - start )) s"
