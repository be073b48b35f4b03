.PHONY: run test lint bench

run:  ## install everything, load regions and demo data, serve on HOST:PORT (default 127.0.0.1:8000)
	@scripts/run.sh

test:  ## the whole suite: lint, types, migrations check, unit, integration and browser tests
	@scripts/test.sh

lint:
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy .

bench:
	@.venv/bin/python bench/bench_stations.py
