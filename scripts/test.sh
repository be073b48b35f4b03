#!/usr/bin/env bash
# make test: lint, types, migrations check, then the whole suite (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings_test
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy .
echo "==> migrations are up to date"
SECRET_KEY=check DEBUG=1 .venv/bin/python manage.py makemigrations --check --dry-run -v 0 \
  --settings=config.settings_test
echo "==> pytest (${DATABASE_URL:-sqlite})"
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-auto}" "$@"
