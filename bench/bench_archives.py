"""Deputies' files and a station's registers of a year at Hunan scale: 50,000 deputies with five
years of records.

Usage (from the project root):
    .venv/bin/python bench/bench_archives.py                          # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_archives.py  # an empty PostgreSQL db
    BENCH_ARCHIVES_SCALE=0.2 .venv/bin/python bench/bench_archives.py   # a fifth of the records

Builds the directory as bench_stations.py does (4,400 stations, 50,000 deputies with a seat and
a station), then five years of what the file and the zip read, with bulk inserts: per station and
year 12 reception days with two deputies on duty, 8 verified activities with three deputies and
one verified training course attended by all its deputies; one case per deputy and year handed
to the deputy; a grid with two posts held by two deputies per station. One deputy, the measured
one, is on every day, activity and course of their station and takes 20 cases a year.

Times, in-process: the file page, the Word and the PDF of the measured deputy for one year
(through the views, as staff of the county ask for them), and the station-year zip of that
deputy's station built by the export job's builder as the worker calls it. Writes
docs/benchmarks.md (section "archives").
"""

from __future__ import annotations

import datetime
import os
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

from bench.bench_stations import DEPUTIES, STATIONS, build
from bench.report import write_section
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.activities.models import Activity, ActivityKind, CourseKind, Participation, Status
from liaison.archives.jobs import STATION_YEAR
from liaison.cases.models import Case
from liaison.deputies.models import Deputy, StationDeputy
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import job_kind
from liaison.receptions.models import ReceptionDay, ReceptionDuty
from liaison.regions.models import Level, Region, code_bounds
from liaison.stations.models import Station

YEARS = 5
SCALE = float(os.environ.get("BENCH_ARCHIVES_SCALE", "1"))
DAYS_PER_YEAR = 12
ACTIVITIES_PER_YEAR = 8
TAKEN_BY_MEASURED = 20
RUNS = 5
ZONE = ZoneInfo("Asia/Shanghai")
BATCH = 5000


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=ZONE)


def _flush(model: Any, rows: list[Any]) -> list[Any]:
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH)
    return []


def _stations_seeded(stations: list[tuple[int, str]]) -> list[tuple[int, str]]:
    # A fraction of the stations (BENCH_ARCHIVES_SCALE) carry records; the measured one always.
    count = max(1, int(len(stations) * SCALE))
    return stations[:count]


def build_records(first_year: int, measured: Deputy, station_id: int) -> float:
    t0 = time.perf_counter()
    if Activity.objects.filter(title__startswith="档案活动").exists():
        return 0.0
    rng = random.Random(14)
    creator, _ = User.objects.get_or_create(username="bench_archives_officer")
    stations = list(Station.objects.order_by("pk").values_list("pk", "region_id"))
    stations = [s for s in stations if s[0] == station_id] + [
        s for s in stations if s[0] != station_id
    ]
    stations = _stations_seeded(stations)
    by_station: dict[int, list[int]] = {}
    for sid, did in StationDeputy.objects.values_list("station_id", "deputy_id"):
        by_station.setdefault(sid, []).append(did)
    by_station[station_id] = [measured.pk] + [d for d in by_station[station_id] if d != measured.pk]
    years = range(first_year, first_year + YEARS)
    # Reception days and duties.
    days: list[ReceptionDay] = []
    serial = 0
    for sid, region in stations:
        for year in years:
            for month in range(1, DAYS_PER_YEAR + 1):
                serial += 1
                date = datetime.date(year, month, 10)
                days.append(ReceptionDay(
                    station_id=sid, region_id=region, date=date, planned_on=date,
                    starts_at=_at(year, month, 10), ends_at=_at(year, month, 10, 11),
                    place="联络站接待室", notice_on=date - datetime.timedelta(days=3),
                    signin_code=f"B{serial:011d}",
                ))  # fmt: skip
        if len(days) >= BATCH:
            days = _flush(ReceptionDay, days)
    _flush(ReceptionDay, days)
    duties: list[ReceptionDuty] = []
    for pk, sid, starts, ends in ReceptionDay.objects.values_list(
        "pk", "station_id", "starts_at", "ends_at"
    ).iterator(10_000):
        on_duty = (
            by_station.get(sid, [])[:2]
            if sid == station_id
            else rng.sample(by_station.get(sid, []), min(2, len(by_station.get(sid, []))))
        )
        for did in on_duty:
            duties.append(ReceptionDuty(
                day_id=pk, deputy_id=did, starts_at=starts, ends_at=ends, present=rng.random() > 0.1
            ))  # fmt: skip
        if len(duties) >= BATCH:
            duties = _flush(ReceptionDuty, duties)
    _flush(ReceptionDuty, duties)
    # Activities, training and attendance.
    activities: list[Activity] = []
    kinds = [k for k in ActivityKind.values if k != ActivityKind.TRAINING]
    for sid, region in stations:
        for year in years:
            for n in range(ACTIVITIES_PER_YEAR + 1):
                at = _at(year, 1 + n, 15)
                training = n == ACTIVITIES_PER_YEAR
                activities.append(Activity(
                    station_id=sid, region_id=region,
                    kind=ActivityKind.TRAINING if training else kinds[n % len(kinds)],
                    title=f"档案活动{sid}-{year}-{n}", starts_at=at,
                    ends_at=at + datetime.timedelta(hours=2), place="联络站", organiser="人大工委",
                    status=Status.VERIFIED, created_by=creator, findings="座谈走访",
                    hours=4 if training else None,
                    course_kind=CourseKind.DUTY if training else "", verified_at=at,
                ))  # fmt: skip
        if len(activities) >= BATCH:
            activities = _flush(Activity, activities)
    _flush(Activity, activities)
    rows: list[Participation] = []
    seeded = Activity.objects.filter(title__startswith="档案活动")
    for pk, sid, kind in seeded.values_list("pk", "station_id", "kind").iterator(10_000):
        members = by_station.get(sid, [])
        attendees = (
            members
            if kind == ActivityKind.TRAINING
            else members[:1] + rng.sample(members[1:], min(2, len(members) - 1))
        )
        rows += [
            Participation(activity_id=pk, deputy_id=did, attended=True, confirmed_via="staff")
            for did in attendees
        ]
        if len(rows) >= BATCH:
            rows = _flush(Participation, rows)
    _flush(Participation, rows)
    # Cases handed to deputies: one per deputy and year, 20 a year for the measured deputy.
    station_of = {did: sid for sid, dids in by_station.items() for did in dids}
    region_of = dict(stations)
    cases: list[Case] = []
    serial = 0
    seeded_stations = {sid for sid, _r in stations}
    for did, sid in station_of.items():
        if sid not in seeded_stations:
            continue
        per_year = TAKEN_BY_MEASURED if did == measured.pk else 1
        for year in years:
            for n in range(per_year):
                serial += 1
                at = _at(year, 1 + n % 12, 1 + n % 28)
                cases.append(Case(
                    tracking_code=f"BA{serial:010d}", pin_digest="x", kind="help",
                    title=f"档案民意{serial}", content="小区路灯不亮，晚上出行不便。",
                    channel="qr", region_id=region_of[sid], station_id=sid, assigned_deputy_id=did,
                    status=rng.choice(["closed", "evaluated", "assigned", "declined"]),
                    rating=rng.choice(["", "satisfied", "basic", "unsatisfied"]),
                    submitted_at=at, consent_at=at,
                ))  # fmt: skip
        if len(cases) >= BATCH:
            cases = _flush(Case, cases)
    _flush(Case, cases)
    # One grid per station, two posts, two deputies on each.
    grids = Grid.objects.bulk_create(
        [Grid(name=f"第{sid}号网格", region_id=r, station_id=sid) for sid, r in stations],
        batch_size=BATCH,
    )
    posts = Post.objects.bulk_create(
        [Post(grid=g, duty_kind="patrol", name=f"巡查岗{n}", needed=2) for g in grids
         for n in range(2)], batch_size=BATCH,
    )  # fmt: skip
    holders = [
        PostAssignment(post=p, deputy_id=did, starts_on=datetime.date(first_year, 1, 1))
        for i, p in enumerate(posts)
        for did in by_station.get(p.grid.station_id or 0, [])[(i % 2) * 2 : (i % 2) * 2 + 2]
    ]
    PostAssignment.objects.bulk_create(holders, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - t0


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float, int]:
    """(p50 s, worst s, most queries of one run), after one warm-up."""
    fn()
    samples, most = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
        most = max(most, len(queries))
    return statistics.median(samples), max(samples), most


def main() -> None:
    t0 = time.perf_counter()
    build()
    directory_s = time.perf_counter() - t0
    first_year = timezone.localdate().year - YEARS
    assignment = StationDeputy.objects.select_related("station", "deputy").order_by("pk").first()
    assert assignment is not None
    measured, station = assignment.deputy, assignment.station
    records_s = build_records(first_year, measured, station.pk)
    print(f"built: directory {directory_s:.0f} s, records {records_s:.0f} s", flush=True)
    county = code_bounds(station.region_id, Level.COUNTY)[0]
    staff, _ = User.objects.get_or_create(username="bench_archives_staff")
    if not Membership.objects.filter(user=staff).exists():
        scope = membership_scope_fields(region=Region.objects.get(code=county))
        Membership.objects.create(user=staff, role=Role.CONGRESS_STAFF, **scope)
    client = Client()
    client.force_login(staff)
    year = first_year + YEARS - 1

    def get(url: str, marker: bytes) -> Callable[[], None]:
        def run() -> None:
            response = client.get(url, {"year": year})
            assert response.status_code == 200, url
            assert marker in response.content[:8] or marker in response.content, url

        return run

    base = f"/staff/archives/deputies/{measured.pk}/"
    rows = [
        ("file page (one year)", get(base, "履职档案".encode())),
        ("file as Word (one year)", get(base + "file.docx", b"PK")),
        ("file as PDF (one year)", get(base + "file.pdf", b"%PDF")),
    ]
    results = []
    for name, fn in rows:
        results.append((name, timed(fn)))
        print(name, results[-1][1], flush=True)
    zips = []
    for _ in range(3):
        # The export job's builder, as the worker calls it (storing the bytes is not timed).
        job = ExportJob.objects.create(
            kind=STATION_YEAR, params={"station": station.pk, "year": year}, title="bench",
            created_by=staff,
        )  # fmt: skip
        t1 = time.perf_counter()
        built = job_kind(STATION_YEAR).build(job, lambda percent: None)
        zips.append((time.perf_counter() - t1, len(built.content)))
        print("zip", zips[-1], flush=True)
    records = {
        "reception duties": ReceptionDuty.objects.count(),
        "activities": Activity.objects.count(),
        "participations": Participation.objects.count(),
        "cases handed to deputies": Case.objects.exclude(assigned_deputy=None).count(),
        "post assignments": PostAssignment.objects.count(),
    }
    mine = {
        "activities": Participation.objects.filter(deputy=measured, attended=True).count(),
        "duties": ReceptionDuty.objects.filter(deputy=measured).count(),
        "cases": Case.objects.filter(assigned_deputy=measured).count(),
    }
    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    scale = f"BENCH_ARCHIVES_SCALE={SCALE:g} " if SCALE != 1 else ""
    lines = [
        f"## Deputies' files and station-year registers at Hunan scale ({vendor})",
        "",
        f"Command: `{prefix}{scale}.venv/bin/python bench/bench_archives.py`",
        "",
        f"Data: {STATIONS:,} stations, {DEPUTIES:,} deputies, {YEARS} years ({first_year}–{year}) "
        f"of records at {SCALE:.0%} of the stations: "
        + ", ".join(f"{n:,} {name}" for name, n in records.items())
        + f" (directory built in {directory_s:.0f} s, records in {records_s:.0f} s; 0 means "
        f"reused from `DATA_DIR`). The measured deputy has, over five years, {mine['activities']} "
        f"activities and courses, {mine['duties']} reception duties and {mine['cases']} cases; "
        f"the file is of {year}. In-process Django test client as county staff, {RUNS} runs "
        f"after one warm-up; queries are the most of any run. Targets of issue 14: the PDF "
        f"under 5 s, the zip under 60 s.",
        "",
        "| operation | p50 (s) | worst (s) | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {n} | {p50:.2f} | {worst:.2f} | {q} |" for n, (p50, worst, q) in results]
    lines += [
        "",
        "| station-year zip (7 registers, built as the worker does) | seconds | bytes |",
        "|---|---:|---:|",
    ]
    lines += [f"| {station.name} {year}, run {i} | {s:.2f} | {b:,} |" for i, (s, b) in
              enumerate(zips, start=1)]  # fmt: skip
    write_section(f"archives-{vendor}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
