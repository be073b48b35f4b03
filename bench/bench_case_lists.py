"""In-process timing of the two list pages that grow with history: echo wall and workbench queue.

Usage: .venv/bin/python bench/bench_case_lists.py [--sizes 10000,200000]

A quick check between full `bench_cases.py` runs (which use gunicorn and wrk): it times one
request of each page through Django's test client, p50/p95 over 30 runs, at each size, on the
database of DATABASE_URL (SQLite in a temp directory by default), and writes the section
"case-lists-<vendor>" of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="liaison-bench-lists-"))
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("REQUIRE_2FA", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("USE_TLS", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.report import write_section  # noqa: E402
from liaison.accounts.models import User  # noqa: E402
from liaison.cases.models import Case  # noqa: E402

RUNS = 30


def timed(client: Client, url: str) -> tuple[float, float]:
    client.get(url)
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(RUNS * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,200000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_regions", str(ROOT / "liaison/regions/fixtures/regions_hunan_2023.csv"))
    call_command("import_categories", verbosity=0)
    call_command("demo", verbosity=0)
    staff = Client()
    staff.force_login(User.objects.get(username="county_staff"))
    public = Client()
    rows = []
    for size in sizes:
        missing = size - Case.objects.count()
        if missing > 0:
            call_command("seed_cases", count=missing, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        with override_settings(RATELIMIT_ENABLED=False):
            rows.append((size, timed(public, "/cases/echo/"), timed(staff, "/staff/cases/")))
    size_list = ",".join(map(str, sizes))
    lines = [
        f"## Case list pages after the count/index changes ({connection.vendor})",
        "",
        f"Command: `.venv/bin/python bench/bench_case_lists.py --sizes {size_list}`",
        "",
        "In-process test client (no gunicorn), one request at a time, p50/p95 of "
        f"{RUNS} runs; 2 shared cores.",
        "",
        "| cases | echo wall p50 / p95 (ms) | workbench queue p50 / p95 (ms) |",
        "|---:|---:|---:|",
    ]
    lines += [f"| {n:,} | {e[0]:.0f} / {e[1]:.0f} | {q[0]:.0f} / {q[1]:.0f} |" for n, e, q in rows]
    first, last = rows[0], rows[-1]
    lines += [
        "",
        f"Ratio {last[0]:,} / {first[0]:,} at p95: echo wall {last[1][1] / first[1][1]:.2f}×, "
        f"queue {last[2][1] / first[2][1]:.2f}× (target ≤ 1.3× from 10k to 1M).",
    ]
    write_section(f"case-lists-{connection.vendor}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
