#!/usr/bin/env bash
# make run: install, migrate, load regions and demo data, serve on HOST:PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/ensure-font.sh
# var/ owner-only, its keys made once, and umask 077 for everything written below (the SQLite
# database and its WAL files, media, cache): scripts/data-dir.sh.
source scripts/data-dir.sh "${DATA_DIR:-var}"
export SECRET_KEY="${SECRET_KEY:-$(cat "${DATA_DIR:-var}/secret_key")}"
export DEBUG="${DEBUG:-0}"
export USE_TLS="${USE_TLS:-0}"
# The demo relaxes the second factor; production keeps REQUIRE_2FA=1 (the default).
export REQUIRE_2FA="${REQUIRE_2FA:-0}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-*}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# QR codes and posters print PUBLIC_BASE_URL; the default only works on this computer.
BASE_URL_WARNING=""
if [ -z "${PUBLIC_BASE_URL:-}" ]; then
  case "$HOST" in
    127.*|localhost|::1)
      BASE_URL_WARNING=" 注意：二维码和海报上的网址为 http://$HOST:$PORT/，只有本机能打开。
 要让手机扫码，请用 HOST=0.0.0.0 PUBLIC_BASE_URL=http://<本机局域网地址>:$PORT make run 启动。"
      ;;
  esac
fi
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://$HOST:$PORT}"
M=".venv/bin/python manage.py"
$M migrate --no-input -v 0
$M import_regions liaison/regions/fixtures/regions_hunan_2023.csv
$M import_categories
$M demo
$M collectstatic --no-input -v 0
cat <<MSG

========================================================================
 人大代表联络站智慧平台 已启动（演示数据，SQLite）
   群众端（手机）： http://$HOST:$PORT/
   工作台：         http://$HOST:$PORT/staff/
   API 文档：       http://$HOST:$PORT/api/docs/
   系统管理：       http://$HOST:$PORT/admin/
 演示账号和演示意见的查询码、查询密码见上方列表。按 Ctrl+C 停止。
========================================================================
MSG
[ -z "$BASE_URL_WARNING" ] || printf '%s\n\n' "$BASE_URL_WARNING"
# The task worker (deadline escalation, exports, reports) runs beside the web server.
$M worker &
WORKER=$!
stop_worker() { kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true; }
trap stop_worker EXIT
# Ctrl+C (or a service manager's TERM) is how the demo is meant to end: stop and exit 0, so that
# make does not report "Error 1".
trap 'stop_worker; echo; echo "已停止。"; exit 0' INT TERM
status=0
.venv/bin/gunicorn config.wsgi:application --bind "$HOST:$PORT" --workers "${WEB_WORKERS:-2}" \
  --access-logfile - --error-logfile - --log-level warning || status=$?
stop_worker
exit "$status"
