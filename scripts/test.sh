#!/usr/bin/env bash
# make test: lint, types, import layers, migrations check, then the whole suite (browser tests
# included) with coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings_test
echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> mypy"
.venv/bin/mypy .
echo "==> import layers (pyproject.toml: [tool.importlinter]; docs/architecture.md, Layers)"
.venv/bin/lint-imports --no-cache
echo "==> migrations are up to date"
SECRET_KEY=check DEBUG=1 .venv/bin/python manage.py makemigrations --check --dry-run -v 0 \
  --settings=config.settings_test
echo "==> pytest (${DATABASE_URL:-sqlite}), coverage of liaison/ (pyproject.toml: fail_under)"
# Compiled modules (and pytest's rewritten test modules) are cached in __pycache__ even where the
# environment turns that off: every worker imports the whole project, the second run does it faster.
unset PYTHONDONTWRITEBYTECODE
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-auto}" --cov --cov-report=term:skip-covered "$@"
