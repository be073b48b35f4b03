#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install the locked dependencies (skipped when unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=requirements-dev.lock
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  echo "==> .venv 的 Python 版本低于 3.12，重新创建"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  PY=$(scripts/find-python.sh)
  echo "==> 使用 $PY 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum "$LOCK" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> 安装依赖（$LOCK，已锁定版本与哈希）"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r "$LOCK"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
