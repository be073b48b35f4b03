"""Hunan-scale reception days: 4,400 stations with a weekly reception day for three years
(≈ 690,000 days, one deputy on duty each) and 50,000 deputies.

Usage (from the project root):
    .venv/bin/python bench/bench_receptions.py                       # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_receptions.py   # an empty PostgreSQL db

Builds the directory as bench_stations.py does, then the reception days in two steps: first the
stations of one county only, then every other station of the province. After each step it times
the public station page (with its reception calendar), the public deputy page and the deputy's
"my duties" page, and counts their queries, so the figures show whether they stay flat as the
table grows from one county to the whole province. At province scale it also times the staff
calendar and a county's reception register for a year (xlsx). Figures go to docs/benchmarks.md
(section "receptions-<vendor>").
"""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.bench_stations import build as build_directory
from bench.bench_stations import timed
from bench.report import write_section
from liaison.accounts.models import Membership, Role, User
from liaison.cases.models import Kind
from liaison.deputies.models import Deputy, StationDeputy
from liaison.receptions.exports import register_days, register_xlsx
from liaison.receptions.models import (
    DayStatus,
    Reception,
    ReceptionDay,
    ReceptionDuty,
)
from liaison.receptions.services.common import aware, new_signin_code
from liaison.receptions.services.records import ItemInput, reception_record
from liaison.regions.models import Region
from liaison.stations.models import Station

COUNTY = "430104000000"  # 岳麓区
LOW, HIGH = "430104000000", "430104999999"
YEARS = 3
BATCH = 5000
RECORDED_WITH_ITEMS = 150  # past days of the county whose record carries two items (cases)
NINE, NOON = datetime.time(9, 0), datetime.time(11, 30)


def weekly_dates(today: datetime.date) -> list[datetime.date]:
    """Three years of weekly dates: eighteen months back and eighteen months ahead."""
    first = today - datetime.timedelta(weeks=78)
    return [first + datetime.timedelta(weeks=w) for w in range(52 * YEARS)]


def materialise(stations: list[tuple[int, str]], dates: list[datetime.date]) -> int:
    """Days and one duty each for these stations, in bulk (what schedules would write)."""
    deputy_of = dict(StationDeputy.objects.values_list("station_id", "deputy_id"))
    today = timezone.localdate()
    days: list[ReceptionDay] = []
    made = 0

    def flush() -> None:
        nonlocal made
        created = ReceptionDay.objects.bulk_create(days, batch_size=BATCH)
        duties = [
            ReceptionDuty(
                day_id=d.pk,
                deputy_id=deputy_of[d.station_id],
                starts_at=d.starts_at,
                ends_at=d.ends_at,
                present=True if d.date < today else None,
            )
            for d in created
            if d.station_id in deputy_of
        ]
        ReceptionDuty.objects.bulk_create(duties, batch_size=BATCH)
        made += len(created)
        days.clear()

    for index, (station_id, region_id) in enumerate(stations):
        offset = datetime.timedelta(days=index % 5)  # spread over the working week
        for date in dates:
            day = date + offset
            days.append(
                ReceptionDay(
                    station_id=station_id,
                    region_id=region_id,
                    date=day,
                    planned_on=day,
                    starts_at=aware(day, NINE),
                    ends_at=aware(day, NOON),
                    place="联络站接待室",
                    notice_on=day - datetime.timedelta(days=3),
                    status=DayStatus.HELD if day < today else DayStatus.SCHEDULED,
                    signin_code=new_signin_code(),
                )
            )
        if len(days) >= BATCH:
            flush()
    flush()
    return made


def record_county_year(staff: User, year: int) -> None:
    """Records for the county's past days of `year`: most bare, some with two items (cases)."""
    held = list(
        ReceptionDay.objects.filter(
            region_id__gte=LOW, region_id__lte=HIGH, date__year=year, date__lt=timezone.localdate()
        )
        .exclude(record__isnull=False)
        .order_by("date", "id")
    )
    with_items = {d.pk for d in held[:RECORDED_WITH_ITEMS]}
    bare = [
        Reception(day=d, visitor_count=5, minutes="接待纪要", recorded_by=staff)
        for d in held
        if d.pk not in with_items
    ]
    Reception.objects.bulk_create(bare, batch_size=BATCH)
    for day in held[:RECORDED_WITH_ITEMS]:
        deputy = day.duties.first()
        reception_record(
            day=day,
            actor=staff,
            visitor_count=8,
            items=[
                ItemInput(
                    title="小区路灯不亮",
                    content="小区门口路灯坏了。",
                    kind=Kind.HELP,
                    deputy_id=deputy.deputy_id if deputy else None,
                ),
                ItemInput(title="建议增设公交站", content="路口增设公交站。"),
            ],
        )


def users() -> tuple[User, User, Deputy]:
    staff, _ = User.objects.get_or_create(username="bench_county_staff")
    Membership.objects.get_or_create(
        user=staff, role=Role.CONGRESS_STAFF, kind=Membership.Kind.REGION, region_id=COUNTY
    )
    station = Station.objects.filter(region_id__gte=LOW, region_id__lte=HIGH).order_by("pk").first()
    assert station is not None
    deputy = Deputy.objects.filter(assignments__station=station).order_by("pk").first()
    assert deputy is not None
    login, _ = User.objects.get_or_create(username="bench_deputy")
    Membership.objects.get_or_create(
        user=login, role=Role.DEPUTY, kind=Membership.Kind.REGION, region_id=COUNTY
    )
    Deputy.objects.filter(user=login).exclude(pk=deputy.pk).update(user=None)
    Deputy.objects.filter(pk=deputy.pk).update(user=login)
    return staff, login, deputy


def measure(
    label: str, pages: list[tuple[str, Client, str]]
) -> list[tuple[str, float, float, int]]:
    rows = []
    for name, client, url in pages:

        def run(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        # DEBUG keeps at most 9,000 queries in its log, which the build filled: start afresh.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            run()
        p50, p95 = timed(run)
        rows.append((f"{name} ({label})", p50, p95, len(queries)))
    return rows


def main() -> None:
    t0 = time.perf_counter()
    build_directory()
    staff, login, deputy = users()
    today = timezone.localdate()
    dates = weekly_dates(today)
    everything = list(Station.objects.order_by("pk").values_list("pk", "region_id"))
    in_county = [(pk, r) for pk, r in everything if r.startswith(COUNTY[:6])]
    made = 0
    if not ReceptionDay.objects.exists():
        made += materialise(in_county, dates)
    build_county_s = time.perf_counter() - t0

    public, staff_client, deputy_client = Client(), Client(), Client()
    staff_client.force_login(staff)
    deputy_client.force_login(login)
    station = Station.objects.get(pk=in_county[0][0])
    pages = [
        ("public station page", public, f"/s/{station.code}/"),
        ("public deputy page", public, f"/d/{deputy.code}/"),
        ("deputy's my duties", deputy_client, "/staff/duties/"),
    ]
    rows = measure("one county", pages)

    t1 = time.perf_counter()
    if ReceptionDay.objects.count() < len(everything) * len(dates) // 2:
        made += materialise([s for s in everything if s not in in_county], dates)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_province_s = time.perf_counter() - t1
    rows += measure("whole province", pages)
    month = today.strftime("%Y-%m")
    rows += measure(
        "whole province",
        [
            ("staff calendar, county, month", staff_client, f"/staff/calendar/?month={month}"),
            (
                "staff calendar, county, list",
                staff_client,
                f"/staff/calendar/?month={month}&view=list",
            ),
            ("API reception days, public, page 1", public, "/api/v1/reception-days/"),
        ],
    )

    year = today.year - 1
    t2 = time.perf_counter()
    if not Reception.objects.exists():
        record_county_year(staff, year)
    record_s = time.perf_counter() - t2
    county = Region.objects.get(code=COUNTY)
    t3 = time.perf_counter()
    data, count = register_xlsx(register_days(year=year, region=county), title="接待登记簿")
    export_s = time.perf_counter() - t3

    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    days, duties = ReceptionDay.objects.count(), ReceptionDuty.objects.count()
    lines = [
        f"## Reception days at Hunan scale ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_receptions.py`",
        "",
        f"Data: {len(everything):,} stations, {Deputy.objects.count():,} deputies, "
        f"{days:,} reception days (weekly, three years) with {duties:,} duties; "
        f"one county's days built first ({build_county_s:.0f} s including the directory), "
        f"then the rest of the province ({build_province_s:.0f} s). "
        f"In-process Django test client, one warm-up, then 40 runs; queries counted on one run.",
        "",
        "| page | p50 (ms) | p95 (ms) | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} | {q} |" for name, p50, p95, q in rows]
    lines += [
        "",
        f"Reception register (接待登记簿) of 岳麓区 for {year}: {count:,} rows, "
        f"{len(data) / 1024:.0f} KiB xlsx in **{export_s:.1f} s** (target < 30 s; "
        f"{RECORDED_WITH_ITEMS} of its days carry two items that became cases through the "
        f"intake pipeline, recorded in {record_s:.0f} s).",
    ]
    write_section(f"receptions-{vendor}", "\n".join(lines))
    print("\n".join(lines))
    print(f"(days written this run: {made:,})")


if __name__ == "__main__":
    main()
