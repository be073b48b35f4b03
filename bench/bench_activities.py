"""Hunan-scale duty activities: 4,400 stations, 50,000 deputies, 200,000 activities.

Usage (from the project root):
    .venv/bin/python bench/bench_activities.py                       # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_activities.py   # an empty PostgreSQL db

Builds the directory as bench_stations.py does, then 200,000 activities over three years (most
verified, three deputies each), a published work plan of twelve items for every station, and
times: the public station page with its work plan (stations of one county, then stations
anywhere in the province: the page must stay within 10 queries and flat), the staff lists of a
county, and the county's activity and training registers for a year built by the export job's
builder (`activities.register`) as the worker runs it.
Writes the figures to docs/benchmarks.md (section "activities").
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.bench_stations import STATIONS, build, staff_client
from bench.report import write_section
from liaison.accounts.models import Membership, Role, User
from liaison.activities import jobs as activity_jobs
from liaison.activities.models import (
    Activity,
    ActivityKind,
    CourseKind,
    Participation,
    Status,
    WorkPlan,
    WorkPlanItem,
)
from liaison.deputies.models import StationDeputy
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import job_kind
from liaison.regions.models import Level, code_bounds
from liaison.stations.models import Station

ACTIVITIES = 200_000
PER_ACTIVITY = 3
RUNS = 20
ZONE = ZoneInfo("Asia/Shanghai")
KINDS = list(ActivityKind.values)
# Most records end verified; the rest are at every other step.
STATUSES = [Status.VERIFIED] * 14 + [
    Status.SUBMITTED,
    Status.DRAFT,
    Status.PLANNED,
    Status.RETURNED,
]


def build_activities() -> float:
    t0 = time.perf_counter()
    if Activity.objects.count() >= ACTIVITIES:
        return 0.0
    rng = random.Random(13)
    creator, _ = User.objects.get_or_create(username="bench_officer")
    stations = list(Station.objects.values_list("pk", "region_id"))
    by_station: dict[int, list[int]] = {}
    for station_id, deputy_id in StationDeputy.objects.values_list("station_id", "deputy_id"):
        by_station.setdefault(station_id, []).append(deputy_id)
    this_year = timezone.localdate().year
    plans = WorkPlan.objects.bulk_create(
        [
            WorkPlan(station_id=pk, year=this_year, published_at=timezone.now())
            for pk, _r in stations
        ],
        batch_size=2000,
    )
    items = WorkPlanItem.objects.bulk_create(
        [
            WorkPlanItem(plan=plan, month=m, kind=KINDS[m % len(KINDS)], title=f"{m}月计划事项")
            for plan in plans
            for m in range(1, 13)
        ],
        batch_size=5000,
    )
    item_of = {(item.plan.station_id, item.month): item.pk for item in items}
    start = datetime.datetime(this_year - 2, 1, 1, 9, tzinfo=ZONE)
    span = (timezone.now() - start).total_seconds()
    batch: list[Activity] = []
    for i in range(ACTIVITIES):
        station_id, region = stations[i % len(stations)]
        at = start + datetime.timedelta(seconds=rng.random() * span)
        kind = KINDS[i % len(KINDS)]
        training = kind == ActivityKind.TRAINING
        batch.append(
            Activity(
                station_id=station_id, region_id=region, kind=kind, title=f"活动{i}",
                starts_at=at, ends_at=at + datetime.timedelta(hours=2), place="联络站",
                organiser="人大工委", status=rng.choice(STATUSES), created_by=creator,
                findings="座谈走访", hours=4 if training else None,
                course_kind=CourseKind.DUTY if training else "",
                plan_item_id=item_of.get((station_id, at.month)) if at.year == this_year else None,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Activity.objects.bulk_create(batch)
            batch = []
    Activity.objects.bulk_create(batch)
    rows: list[Participation] = []
    for pk, station_id in Activity.objects.values_list("pk", "station_id").iterator(10_000):
        for deputy_id in by_station.get(station_id, [])[:PER_ACTIVITY]:
            rows.append(
                Participation(
                    activity_id=pk, deputy_id=deputy_id, invited=True, attended=True,
                    confirmed_via="staff",
                )
            )  # fmt: skip
        if len(rows) >= 10_000:
            Participation.objects.bulk_create(rows)
            rows = []
    Participation.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, most queries of one run)."""
    fn()
    samples, most = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t0) * 1000)
        most = max(most, len(queries))
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], most


def busiest_county() -> str:
    counts: dict[str, int] = {}
    for region in Station.objects.values_list("region_id", flat=True):
        county = code_bounds(region, Level.COUNTY)[0]
        counts[county] = counts.get(county, 0) + 1
    return max(counts, key=lambda c: counts[c])


def main() -> None:
    t0 = time.perf_counter()
    build()
    directory_s = time.perf_counter() - t0
    activities_s = build_activities()
    print(f"built: directory {directory_s:.0f} s, activities {activities_s:.0f} s", flush=True)
    county = busiest_county()
    low, high = code_bounds(county, Level.COUNTY)
    in_county = list(
        Station.objects.filter(region_id__gte=low, region_id__lte=high).values_list(
            "code", flat=True
        )
    )
    anywhere = list(Station.objects.order_by("?").values_list("code", flat=True)[:200])
    public = Client()
    rng = random.Random(2)

    def station_page(codes: list[str]) -> Callable[[], None]:
        def run() -> None:
            response = public.get(f"/s/{rng.choice(codes)}/")
            assert response.status_code == 200
            assert "年度工作计划" in response.content.decode()

        return run

    county_user, _ = User.objects.get_or_create(username="bench_county_staff")
    Membership.objects.get_or_create(
        user=county_user, role=Role.CONGRESS_STAFF, kind=Membership.Kind.REGION, region_id=county
    )
    county_client = Client()
    county_client.force_login(county_user)

    def get(client: Client, url: str) -> Callable[[], None]:
        def run() -> None:
            assert client.get(url).status_code == 200, url

        return run

    year = timezone.localdate().year - 1
    rows = [
        ("public station page with work plan, stations of one county", station_page(in_county)),
        ("public station page with work plan, stations of the province", station_page(anywhere)),
        ("staff activity list (county staff), page 1", get(county_client, "/staff/activities/")),
        (
            "staff activity list, kind + status filter",
            get(county_client, "/staff/activities/?kind=research&status=verified"),
        ),
        ("verification queue (county staff)", get(county_client, "/staff/activities/queue/")),
        (
            f"training gaps {year} (county staff), page 1",
            get(county_client, f"/staff/activities/training/?year={year}"),
        ),
        ("API activities, county filter", get(public, f"/api/v1/activities/?region={county}")),
    ]
    results = []
    for name, fn in rows:
        results.append((name, timed(fn)))
        print(name, results[-1][1], flush=True)
    exports = []
    kind = activity_jobs.REGISTER
    for register in (activity_jobs.ACTIVITIES, activity_jobs.TRAINING):
        # The county's register as the export job's builder makes it in the worker (the file
        # is not stored: the jobs app's save is the same for every kind).
        params = {"register": register, "year": year, "station": None, "region": county}
        job = ExportJob(kind=kind, params=params, title="bench", created_by=county_user)
        t1 = time.perf_counter()
        built = job_kind(kind).build(job, lambda _percent: None)
        name = str(activity_jobs.REGISTERS[register])
        exports.append((name, built.rows, time.perf_counter() - t1))
        print(exports[-1], flush=True)
    staff_client()  # keeps the city staff of bench_stations in the same data set
    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    lines = [
        f"## Duty activities at Hunan scale ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_activities.py`",
        "",
        f"Data: {STATIONS:,} stations, {Activity.objects.count():,} activities over three years "
        f"({Participation.objects.count():,} participations), a published 12-item work plan per "
        f"station (directory built in {directory_s:.0f} s, activities in {activities_s:.0f} s). "
        f"County measured: {county} ({len(in_county)} stations). In-process Django test client, "
        f"{RUNS} runs after one warm-up; queries are the most of any run.",
        "",
        "| operation | p50 (ms) | p95 (ms) | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {n} | {p50:.1f} | {p95:.1f} | {q} |" for n, (p50, p95, q) in results]
    lines += ["", "| register (county, one year, built as the worker does) | rows | seconds |",
              "|---|---:|---:|"]  # fmt: skip
    lines += [f"| {name} | {count:,} | {secs:.1f} |" for name, count, secs in exports]
    write_section(f"activities-{vendor}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
