"""Hunan-scale directory benchmark: 4,400 stations and 50,000 deputies.

Usage (from the project root):
    .venv/bin/python bench/bench_stations.py                       # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_stations.py   # an empty PostgreSQL db

Builds the data with bulk inserts, then times the station directory, subtree queries, the scoped
staff list and the API in-process (Django test client), and writes the figures to
docs/benchmarks.md (section "stations").
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="liaison-bench-"))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("REQUIRE_2FA", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.report import write_section  # noqa: E402
from liaison.accounts.models import Membership, Role, User  # noqa: E402
from liaison.common.codes import new_public_code  # noqa: E402
from liaison.deputies.models import Deputy, DeputyLevel, Seat, StationDeputy  # noqa: E402
from liaison.regions.models import Level, Region  # noqa: E402
from liaison.regions.selectors import region_subtree  # noqa: E402
from liaison.stations.models import Station, StationKind, build_path  # noqa: E402

STATIONS = 4_400
DEPUTIES = 50_000
RUNS = 40


def build() -> None:
    call_command("migrate", verbosity=0)
    call_command("import_regions", str(ROOT / "liaison/regions/fixtures/regions_hunan_2023.csv"))
    if Station.objects.count() >= STATIONS:
        return
    rng = random.Random(1)
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).values_list("code", flat=True))
    counties = list(Region.objects.filter(level=Level.COUNTY).values_list("code", flat=True))
    kinds = [StationKind.FIXED] * 8 + [StationKind.MOBILE, StationKind.MARKET]
    stations = []
    for i in range(STATIONS):
        code = new_public_code("S")
        region = townships[i % len(townships)] if i < len(townships) * 2 else rng.choice(counties)
        stations.append(
            Station(
                code=code,
                path=build_path(None, code),
                name=f"第{i}号人大代表联络站",
                kind=rng.choice(kinds),
                region_id=region,
                address="某路某号",
            )
        )
    Station.objects.bulk_create(stations, batch_size=1000)
    ids = list(Station.objects.values_list("pk", flat=True))
    deputies = [
        Deputy(
            code=new_public_code("D"),
            name=f"代表{i}",
            gender="male" if i % 2 else "female",
            home_region_id=townships[i % len(townships)],
        )
        for i in range(DEPUTIES)
    ]
    Deputy.objects.bulk_create(deputies, batch_size=2000)
    deputy_ids = list(Deputy.objects.values_list("pk", "home_region_id"))
    start = datetime.date(2021, 12, 1)
    Seat.objects.bulk_create(
        [
            Seat(
                deputy_id=pk, level=DeputyLevel.TOWNSHIP, congress_id=home, term=19, starts_on=start
            )
            for pk, home in deputy_ids
        ],
        batch_size=2000,
    )
    StationDeputy.objects.bulk_create(
        [
            StationDeputy(deputy_id=pk, station_id=ids[i % len(ids)], starts_on=start)
            for i, (pk, _home) in enumerate(deputy_ids)
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def staff_client() -> Client:
    user, _ = User.objects.get_or_create(username="bench_staff")
    Membership.objects.get_or_create(
        user=user, role=Role.CONGRESS_STAFF, kind=Membership.Kind.REGION, region_id="430100000000"
    )
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    t0 = time.perf_counter()
    build()
    build_s = time.perf_counter() - t0
    public = Client()
    staff = staff_client()
    province = Region.objects.get(code="430000000000")
    city = Region.objects.get(code="430100000000")
    county = Region.objects.get(code="430104000000")

    def get(client: Client, url: str) -> Callable[[], Any]:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    rows = [
        (
            "subtree of the province (count regions)",
            timed(lambda: region_subtree(province).count()),
        ),
        (
            "stations in a city subtree (count)",
            timed(
                lambda: Station.objects.filter(
                    region_id__gte=city.bounds[0], region_id__lte=city.bounds[1]
                ).count()
            ),
        ),
        (
            "stations in a county subtree (list)",
            timed(
                lambda: list(
                    Station.objects.filter(
                        region_id__gte=county.bounds[0], region_id__lte=county.bounds[1]
                    )
                )
            ),
        ),
        ("H5 directory, whole province, page 1", timed(get(public, "/stations/"))),
        ("H5 directory, city filter, page 1", timed(get(public, "/stations/?region=4301"))),
        ("H5 directory, name search", timed(get(public, "/stations/?q=%E7%AC%AC12"))),
        ("staff station list (city staff), page 1", timed(get(staff, "/staff/stations/"))),
        ("staff deputy list (city staff), page 1", timed(get(staff, "/staff/deputies/"))),
        ("API stations, city filter", timed(get(public, "/api/v1/stations/?region=4301"))),
        ("API deputies, county filter", timed(get(public, "/api/v1/deputies/?region=430104"))),
    ]
    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    counts = (Station.objects.count(), Deputy.objects.count(), Region.objects.count())
    lines = [
        f"## Station directory at Hunan scale ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_stations.py`",
        "",
        f"Data: {counts[0]:,} stations, {counts[1]:,} deputies with seats and station "
        f"assignments, {counts[2]:,} regions (built in {build_s:.0f} s). "
        f"In-process Django test client, {RUNS} runs after one warm-up.",
        "",
        "| operation | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95) in rows]
    write_section(f"stations-{vendor}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
