#!/usr/bin/env bash
# Installs the Debian packages xuedai needs: the PostgreSQL server (tests, benchmarks), Debian's
# chromium (browser tests), Noto CJK fonts (Chinese PDFs), poppler-utils (PDF → PNG in tests),
# the Pango libraries WeasyPrint renders with, Node.js/npm for front-end assets, redis-server (the
# broker of the distributed batches: tests and benchmarks start a private one, scripts/with-redis.sh).
# As root it installs what is missing; otherwise it names exactly what to install.
set -euo pipefail

packages=(postgresql redis-server chromium fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0
          libharfbuzz-subset0 python3-venv nodejs npm)
what="${1:-all}"
if [ "$what" = "demo" ]; then
  # The demo needs no database server or browser: SQLite is embedded.
  packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 python3-venv nodejs npm)
fi

missing=()
for pkg in "${packages[@]}"; do
  # A command already on PATH (node, npm from another install) counts as present.
  case "$pkg" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
    python3-venv) python3 -c 'import venv, ensurepip' 2>/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包 / missing system packages: ${missing[*]}" >&2
  echo "请以 root 运行 / as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "安装系统软件包 / installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
