"""Hunan-scale duty reports (代表述职): the directory of bench_stations.py (4,400 stations, 50,000
township deputies in their 2021 term), two thirds of them with a held report this term.

Usage (from the project root):
    .venv/bin/python bench/bench_dutyreports.py                       # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_dutyreports.py   # an empty PostgreSQL db

Times the staff list and the term rule's list (本届尚未述职) for a city and its xlsx, with their
query counts; then eight threads submit the same 60 codes of one report at once (480 attempts)
and the number of ratings must be exactly 60: the one-time codes under contention. Figures go
to docs/benchmarks.md (section "dutyreports-<vendor>").
"""

from __future__ import annotations

import datetime
import random
import secrets
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.bench_stations import build as build_directory
from bench.bench_stations import timed
from bench.report import write_section
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.services import membership_scope_fields
from liaison.deputies.models import StationDeputy
from liaison.dutyreports.codes import code_for
from liaison.dutyreports.models import DutyReport, Rating, Status
from liaison.dutyreports.services import Invitee, duty_report_rate, duty_report_schedule
from liaison.regions.models import Region
from liaison.stations.models import Station

BATCH = 5000
THREADS = 8


def staff_client() -> Client:
    """Congress staff of 长沙市 (the directory bench's helper predates scoped memberships)."""
    user = User.objects.get_or_create(username="bench_dutyreports_staff")[0]
    region = Region.objects.get(code="430100000000")
    fields = membership_scope_fields(region=region)
    Membership.objects.get_or_create(user=user, role=Role.CONGRESS_STAFF, **fields)
    client = Client()
    client.force_login(user)
    return client


def reports_build(staff: User) -> int:
    """A held report this term for two deputies in three (what the services would have written)."""
    if DutyReport.objects.exists():
        return DutyReport.objects.count()
    rng = random.Random(14)
    start = timezone.make_aware(datetime.datetime(2024, 5, 6, 9, 30))
    rows = []
    for index, (deputy_id, station_id, region_id) in enumerate(
        StationDeputy.objects.values_list("deputy_id", "station_id", "station__region_id")
    ):
        if index % 3 == 0:
            continue
        at = start + datetime.timedelta(days=rng.randrange(700))
        rows.append(
            DutyReport(
                deputy_id=deputy_id,
                station_id=station_id,
                region_id=region_id,
                title="本届履职情况报告",
                starts_at=at,
                place="联络站会议室",
                token=secrets.token_urlsafe(16),
                rating_closes_at=at + datetime.timedelta(days=8),
                text="述职报告全文",
                attendance=30,
                status=Status.PUBLISHED,
                created_by=staff,
            )
        )
    DutyReport.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _page(client, url: str) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    median, p95 = timed(lambda: client.get(url), runs=10)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return median, p95, len(ctx.captured_queries)


def contention(staff: User) -> tuple[int, int, int, float]:
    """THREADS threads each submit the same 60 codes (shuffled): (ratings, refused, locked, s)."""
    station = Station.objects.filter(region__code__startswith="430104").first()
    assert station is not None
    deputy_id = StationDeputy.objects.filter(station=station).values_list("deputy_id", flat=True)[0]
    report = duty_report_schedule(
        actor=staff,
        deputy=StationDeputy.objects.get(station=station, deputy_id=deputy_id).deputy,
        station=station,
        title="并发测评",
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        place="会议室",
        invited=[Invitee(name=f"选民{i}") for i in range(10)],
    )
    codes = [code_for(report.token, n) for n in range(1, 61)]
    refused = locked = 0
    lock = threading.Lock()

    def voter(seed: int) -> None:
        nonlocal refused, locked
        mine = codes[:]
        random.Random(seed).shuffle(mine)
        for code in mine:
            try:
                duty_report_rate(report=report, code=code, verdict="satisfied")
            except ValidationError:
                with lock:
                    refused += 1
            except OperationalError:
                with lock:
                    locked += 1
        connection.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=voter, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    return Rating.objects.filter(report=report).count(), refused, locked, seconds


def main() -> None:
    t0 = time.perf_counter()
    build_directory()
    client = staff_client()
    staff = User.objects.get(username="bench_dutyreports_staff")
    made = reports_build(staff)
    build_s = time.perf_counter() - t0
    pages = {
        "述职列表（长沙市）": reverse("dutyreports:list"),
        "本届尚未述职（长沙市）": reverse("dutyreports:not_reported"),
        "本届尚未述职，第 20 页": reverse("dutyreports:not_reported") + "?page=20",
    }
    lines = [
        f"## Duty reports at Hunan scale ({connection.vendor})",
        "",
        "Command: `.venv/bin/python bench/bench_dutyreports.py`",
        "",
        f"Data: 4,400 stations, 50,000 township deputies, {made:,} held reports this term "
        f"(built in {build_s:.0f} s). Staff: congress staff of 长沙市.",
        "",
        "| page | median ms | p95 ms | queries |",
        "|---|---|---|---|",
    ]
    for name, url in pages.items():
        median, p95, queries = _page(client, url)
        lines.append(f"| {name} | {median:.0f} | {p95:.0f} | {queries} |")
    t1 = time.perf_counter()
    export = client.get(reverse("dutyreports:not_reported") + "?format=xlsx")
    lines.append(
        f"\n本届尚未述职 xlsx（长沙市）: {len(export.content) // 1024} KiB in "
        f"**{time.perf_counter() - t1:.1f} s**."
    )
    ratings, refused, locked, seconds = contention(staff)
    lines.append(
        f"\nOne-time codes under contention: {THREADS} threads × the same 60 codes "
        f"({THREADS * 60} attempts) in {seconds:.1f} s → **{ratings} ratings** (must be 60), "
        f"{refused} refused as already used, {locked} failed on a database lock."
    )
    write_section(f"dutyreports-{connection.vendor}", "\n".join(lines))
    print("\n".join(lines))
    assert ratings == 60, ratings


if __name__ == "__main__":
    main()
