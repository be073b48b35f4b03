"""Hunan-scale grids benchmark: 4,400 stations, 50,000 deputies, a grid per station with posts.

Usage (from the project root):
    .venv/bin/python bench/bench_grids.py                          # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_grids.py   # an empty PostgreSQL db

Builds the directory as bench_stations.py does, then one grid per station with eight posts (one
to three deputies needed) and about four in five of each station's deputies on a post; times the
grid list, the three coverage lists, the register and the API for city and county staff
(in-process Django test client) and writes docs/benchmarks.md (section "grids").
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection
from django.test import Client

# Importing bench_stations sets up Django (environment, settings) before any model is loaded.
from bench.bench_stations import build as build_directory
from bench.bench_stations import timed
from bench.report import write_section
from liaison.accounts.models import Membership, Role, User
from liaison.deputies.models import StationDeputy
from liaison.grids.jobs import REGISTER
from liaison.grids.models import Grid, Post, PostAssignment
from liaison.jobs.models import ExportJob
from liaison.jobs.services import export_job_run
from liaison.stations.models import Station

POSTS_PER_GRID = 8
KINDS = ["publicity", "mediation", "patrol", "environment", "elderly_care"]
RUNS = 20


def build() -> None:
    build_directory()
    if Grid.objects.exists():
        return
    rng = random.Random(13)
    stations = list(Station.objects.values_list("pk", "region_id").order_by("pk"))
    Grid.objects.bulk_create(
        [Grid(name=f"第{pk}号网格", region_id=region, station_id=pk) for pk, region in stations],
        batch_size=2000,
    )
    grids = list(Grid.objects.values_list("pk", "station_id"))
    Post.objects.bulk_create(
        [
            Post(
                grid_id=grid,
                duty_kind=KINDS[i % len(KINDS)],
                name=f"岗位{i}",
                needed=rng.randint(1, 3),
            )
            for grid, _station in grids
            for i in range(POSTS_PER_GRID)
        ],
        batch_size=5000,
    )
    posts_of: dict[int, list[int]] = {}
    station_of = {grid: station for grid, station in grids}
    for post, grid in Post.objects.values_list("pk", "grid_id"):
        posts_of.setdefault(station_of[grid], []).append(post)
    start = datetime.date(2025, 1, 1)
    rows = []
    for deputy, station in StationDeputy.objects.values_list("deputy_id", "station_id"):
        if rng.random() < 0.8:
            rows.append(
                PostAssignment(
                    post_id=rng.choice(posts_of[station]), deputy_id=deputy, starts_on=start
                )
            )
    PostAssignment.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def staff(username: str, region: str) -> Client:
    user, _ = User.objects.get_or_create(username=username)
    Membership.objects.get_or_create(
        user=user, role=Role.CONGRESS_STAFF, kind=Membership.Kind.REGION, region_id=region
    )
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    t0 = time.perf_counter()
    build()
    build_s = time.perf_counter() - t0
    city = staff("bench_city", "430100000000")
    county = staff("bench_county", "430104000000")

    def get(client: Client, url: str) -> Callable[[], Any]:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    def register(user: User) -> Callable[[], Any]:
        def run() -> None:
            job = ExportJob.objects.create(
                kind=REGISTER, params={"query": ""}, title="bench", created_by=user
            )
            assert export_job_run(job_id=job.pk).status == "done"

        return run

    city_user = User.objects.get(username="bench_city")
    county_user = User.objects.get(username="bench_county")
    rows = [
        ("grid list (city staff), page 1", timed(get(city, "/staff/grids/"), RUNS)),
        (
            "grid list (city staff), duty kind filter",
            timed(get(city, "/staff/grids/?kind=patrol"), RUNS),
        ),
        (
            "coverage: posts short of deputies (city staff)",
            timed(get(city, "/staff/grids/coverage/"), RUNS),
        ),
        (
            "coverage: grids without deputies (city staff)",
            timed(get(city, "/staff/grids/coverage/?show=grids"), RUNS),
        ),
        (
            "coverage: deputies without a post (city staff)",
            timed(get(city, "/staff/grids/coverage/?show=deputies"), RUNS),
        ),
        (
            "coverage: posts short (county staff)",
            timed(get(county, "/staff/grids/coverage/"), RUNS),
        ),
        ("register xlsx built by the worker (county staff)", timed(register(county_user), 5)),
        ("register xlsx built by the worker (city staff)", timed(register(city_user), 3)),
        ("API grids (county staff), page 1", timed(get(county, "/api/v1/grids/"), RUNS)),
    ]
    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    counts = (
        Grid.objects.count(),
        Post.objects.count(),
        PostAssignment.objects.count(),
        Station.objects.count(),
    )
    lines = [
        f"## Grids and posts at Hunan scale ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_grids.py`",
        "",
        f"Data: {counts[0]:,} grids, {counts[1]:,} posts, {counts[2]:,} deputies on posts, on the "
        f"directory of bench_stations.py ({counts[3]:,} stations, 50,000 deputies); built in "
        f"{build_s:.0f} s. In-process Django test client, {RUNS} runs after one warm-up (the "
        "register 5).",
        "",
        "| operation | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95) in rows]
    lines += [
        "",
        "Each coverage page also counts the other two lists for its tabs, so one view runs all "
        "three aggregations (posts below their need, grids with nobody on duty, deputies in "
        "scope without a post); the grid list counts posts, places and deputies on duty per "
        "row with correlated subqueries, whatever the page size.",
    ]
    write_section(f"grids-{vendor}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
