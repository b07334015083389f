#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite (fast lane), then on a PostgreSQL server this run
# starts itself, browser tests (Debian's chromium through Playwright) included.
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

echo "== pytest · PostgreSQL (with browser tests)"
scripts/with-postgres.sh $bin/pytest -n 2 -p no:cacheprovider

echo "== suite time: $(( $(date +%s) - start )) s"
