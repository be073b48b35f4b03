"""Duty points at Hunan scale: 50,000 deputies with five years of records, 200 point entries
each (10 million ledger rows) and their quarter and year totals.

Usage (from the project root):
    .venv/bin/python bench/bench_points.py                            # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_points.py  # an empty PostgreSQL db
    POINTS_PER_DEPUTY=40 .venv/bin/python bench/bench_points.py       # a smaller ledger

Builds the directory as bench_stations.py does (4,400 stations, 50,000 deputies), then writes
the ledger with multi-row inserts (the ledger service is not used: these entries have no source
records, and a sync would reverse them) and the totals the way the ledger service keeps them
(sums per deputy and quarter, then per year). Times, in-process with the Django test client:
the county ranking page (county staff), the province-wide ranking page (province staff, first
page and page 100), a deputy's ledger page, the quarterly bulletin page of a county, its xlsx
and docx as the task worker builds them (the export job's builder), and the
`deputy_points_summary` selector. Writes docs/benchmarks.md (section "points").
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.bench_activities import busiest_county, timed
from bench.bench_stations import DEPUTIES, STATIONS, build
from bench.report import write_section
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.deputies.models import Deputy
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import job_kind
from liaison.points.jobs import BULLETIN
from liaison.points.models import PointEntry, PointTotal
from liaison.points.rules import RuleKey
from liaison.points.selectors import deputy_points_summary
from liaison.regions.models import Region

PER_DEPUTY = int(os.environ.get("POINTS_PER_DEPUTY", "200"))
YEARS = 5
BATCH = 500  # deputies per transaction
RULES = [
    (RuleKey.ACTIVITY, "activity", 4), (RuleKey.TRAINING_HOUR, "activity", 2),
    (RuleKey.RECEPTION_DAY, "reception_duty", 5), (RuleKey.RECEPTION_CASE, "reception_item", 2),
    (RuleKey.SUGGESTION, "suggestion", 5), (RuleKey.ABSENCE, "activity", -2),
    (RuleKey.RECEPTION_MISSED, "reception_duty", -5), (RuleKey.DUTY_REPORT, "duty_report", 10),
]  # fmt: skip
COLUMNS = (
    "deputy_id, kind, rule, source_kind, source_id, source_label, occurred_on, year, quarter, "
    "points, reason, created_by_id, created_at"
)


def seed_ledger() -> float:
    """PER_DEPUTY entries per deputy over YEARS years, then the totals from them."""
    t0 = time.perf_counter()
    wanted = PER_DEPUTY * Deputy.objects.count()
    if PointEntry.objects.count() >= wanted:
        return 0.0
    rng = random.Random(14)
    this_year = timezone.localdate().year
    first_year = this_year - YEARS + 1
    now = timezone.now()
    deputy_ids = list(Deputy.objects.order_by("pk").values_list("pk", flat=True))
    source_id = 0
    marks = ", ".join(["%s"] * 13)
    sql = f"INSERT INTO points_pointentry ({COLUMNS}) VALUES ({marks})"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    for start in range(0, len(deputy_ids), BATCH):
        rows = []
        for deputy_id in deputy_ids[start : start + BATCH]:
            for n in range(PER_DEPUTY):
                year = first_year + n * YEARS // PER_DEPUTY
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                rule, kind, points = rng.choice(RULES)
                source_id += 1
                rows.append((
                    deputy_id, "grant", rule, kind, source_id, "", day, year,
                    (day.month - 1) // 3 + 1, points, "", None, now,
                ))  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        if start % 10_000 == 0:
            print(f"  ledger: {start + BATCH:,} deputies", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO points_pointtotal (deputy_id, year, quarter, points, entries, region_code)"
            " SELECT e.deputy_id, e.year, e.quarter, SUM(e.points), COUNT(*), d.home_region_id"
            " FROM points_pointentry e JOIN deputies_deputy d ON d.id = e.deputy_id"
            " GROUP BY e.deputy_id, e.year, e.quarter, d.home_region_id"
        )
        cursor.execute(
            "INSERT INTO points_pointtotal (deputy_id, year, quarter, points, entries, region_code)"
            " SELECT deputy_id, year, 0, SUM(points), SUM(entries), region_code"
            " FROM points_pointtotal WHERE quarter > 0 GROUP BY deputy_id, year, region_code"
        )
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def staff(username: str, code: str) -> Client:
    user, _ = User.objects.get_or_create(username=username)
    region = Region.objects.get(code=code)
    fields = membership_scope_fields(region=region)
    Membership.objects.get_or_create(user=user, role=Role.CONGRESS_STAFF, **fields)
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, url: str, *, expect: str = "") -> Callable[[], None]:
    def run() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if expect:
            assert expect in response.content.decode(), url

    return run


def bulletin_file(client: Client, county: str, year: int, fmt: str) -> Callable[[], None]:
    """The export job's builder as the worker runs it (the file's bytes, not their storage),
    for the county staff member logged in on `client`."""
    user = User.objects.get(pk=client.session["_auth_user_id"])
    params = {"scope": f"r:{county}", "year": year, "quarter": 2, "format": fmt}
    job = ExportJob(kind=BULLETIN, params=params, title="bench", created_by=user)

    def run() -> None:
        built = job_kind(BULLETIN).build(job, lambda _percent: None)
        assert built.rows > 0 and built.content[:2] == b"PK"

    return run


def main() -> None:
    t0 = time.perf_counter()
    build()
    directory_s = time.perf_counter() - t0
    ledger_s = seed_ledger()
    entries = PointEntry.objects.count()
    print(
        f"built: directory {directory_s:.0f} s, ledger {ledger_s:.0f} s ({entries:,})", flush=True
    )
    county = busiest_county()
    year = timezone.localdate().year - 1
    county_client = staff("bench_points_county", county)
    province_client = staff("bench_points_province", "430000000000")
    deputy = Deputy.objects.filter(
        home_region_id__gte=county, home_region_id__lte=county[:6] + "999999"
    ).first()
    assert deputy is not None
    ranked = PointTotal.objects.filter(
        year=year, quarter=0, region_code__gte=county, region_code__lte=county[:6] + "999999"
    ).count()
    base = "/staff/points/"
    rows: list[tuple[str, Callable[[], Any]]] = [
        (f"county ranking, year {year} ({ranked:,} deputies), page 1",
         get(county_client, f"{base}?scope=r:{county}&year={year}", expect="名次")),
        (f"county ranking, quarter 2 of {year}",
         get(county_client, f"{base}?scope=r:{county}&year={year}&quarter=2")),
        (f"province-wide ranking, year {year} ({DEPUTIES:,} deputies), page 1",
         get(province_client, f"{base}?scope=r:430000000000&year={year}", expect="名次")),
        ("province-wide ranking, page 100",
         get(province_client, f"{base}?scope=r:430000000000&year={year}&page=100")),
        (f"a deputy's ledger page, {year}",
         get(county_client, f"{base}deputies/{deputy.pk}/?year={year}")),
        ("quarterly bulletin page of the county",
         get(county_client, f"{base}bulletin/?scope=r:{county}&year={year}&quarter=2")),
        ("quarterly bulletin of the county as xlsx, built by the task worker",
         bulletin_file(county_client, county, year, "xlsx")),
        ("quarterly bulletin of the county as docx, built by the task worker",
         bulletin_file(county_client, county, year, "docx")),
        ("deputy_points_summary (year total, band, three ranks)",
         lambda: deputy_points_summary(deputy=deputy, year=year)),
    ]  # fmt: skip
    results = []
    for name, fn in rows:
        results.append((name, timed(fn)))
        print(name, results[-1][1], flush=True)
    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    scale = "" if PER_DEPUTY == 200 else f"POINTS_PER_DEPUTY={PER_DEPUTY} "
    lines = [
        f"## Duty points at Hunan scale ({vendor}, {PER_DEPUTY} entries per deputy)",
        "",
        f"Command: `{prefix}{scale}.venv/bin/python bench/bench_points.py`",
        "",
        f"Data: {STATIONS:,} stations, {Deputy.objects.count():,} deputies, {entries:,} ledger "
        f"entries over {YEARS} years and {PointTotal.objects.count():,} totals rows (directory "
        f"built in {directory_s:.0f} s, ledger and totals in {ledger_s:.0f} s). County measured: "
        f"{county}. In-process Django test client, 20 runs after one warm-up; queries are the "
        f"most of any run. The rankings read the totals table (one row per deputy and period, "
        f"index year, quarter, region code, points), never the ledger: a page's ids in rank order "
        f"from the index, its rows, one count for the rank of its first row (ties share a rank), "
        f"the paginator's count. The bulletin reads each township's band thresholds from the "
        f"jurisdiction settings cache (30 s): a run in which it expires makes more queries.",
        "",
        "| operation | p50 (ms) | p95 (ms) | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {n} | {p50:.1f} | {p95:.1f} | {q} |" for n, (p50, p95, q) in results]
    write_section(f"points-{vendor}-{PER_DEPUTY}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
