"""The pages people wait on (issue 16), each next to the bare view, with its query count.

Usage (from the project root; needs `wrk`, e.g. `apt-get install wrk`):
    .venv/bin/python bench/bench_pages.py --sizes 10000        # SQLite, kept in var/bench-pages
    .venv/bin/python bench/bench_pages.py --sizes 10000,1000000 --seconds 15
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_pages.py --sizes 10000,1000000
    options: --connections 8  --fresh (measure again what an earlier run already measured)

Data: the Hunan directory of bench_stations.py (4,400 stations, 50,000 deputies with seats and
assignments), the demo county (its users are the staff measured) and `manage.py seed_cases` up to
each size in 岳麓区. **The seed is kept**: DATA_DIR defaults to var/bench-pages (the SQLite file,
the field key and the static files live there; PostgreSQL keeps its database), so a second run
skips the directory and seeds only the missing cases. Sizes are measured smallest first (cases
are only added). **Runs resume**: every measured page is written at once to
DATA_DIR/pages-<vendor>-<size>.json; a run that stopped starts again at the next page, and the
report is made from those files (`--report-only` rewrites the section without measuring).

Each page is measured in a pair, as bench_cases.py measures intake: the bare view
(/bench/bare/) for `--seconds`, then the page for `--seconds`, each after an unrecorded warm-up,
through gunicorn with 2 sync workers (DEBUG off, rate limits off, config.settings_bench). Public
pages are measured twice: as served (the 30-second shared page cache on, decision 0041) and as
built (a second server with PUBLIC_PAGE_CACHE_SECONDS=0, what the first visitor after an expiry
waits for). The query count is one in-process request after a warm-up, with the page cache off.
Writes the section "pages-<vendor>" of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", str(ROOT / "var" / "bench-pages"))
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("USE_TLS", "0")
os.environ.setdefault("SECRET_KEY", "bench-pages-secret")  # fixed: the seeded PINs depend on it
os.environ.setdefault("REQUIRE_2FA", "0")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_bench"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench import bench_stations  # noqa: E402
from bench.bench_cases import free_port, start_server, wrk  # noqa: E402
from bench.report import write_section  # noqa: E402
from liaison.accounts.models import Membership, Role, User  # noqa: E402
from liaison.accounts.services import membership_scope_fields  # noqa: E402
from liaison.cases.models import Case, KpiRollupMark, Status  # noqa: E402
from liaison.cases.similar_store import index_path  # noqa: E402
from liaison.cases.views_h5 import SESSION_TRACKED  # noqa: E402
from liaison.deputies.models import Deputy  # noqa: E402
from liaison.regions.models import Region  # noqa: E402
from liaison.stations.models import Station, StationStatus  # noqa: E402

# 岳麓区: the demo county, where seed_cases puts the cases (a range: the region code is the key).
LOW, HIGH = "430104000000", "430104999999"
PROVINCE_USER = "province_staff"
PUBLIC_BUDGET, STAFF_BUDGET = 6, 12
PUBLIC_TARGET, STAFF_TARGET = 0.25, 0.1


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    url: str
    user: str = ""  # a demo user's name: the page is read through their session
    public: bool = False
    tracked: bool = False  # a visitor who has typed a case's code and PIN (the tracking page)
    reference: bool = False  # a floor (config/urls_bench.py), not a page: never a miss


def build(size: int) -> str:
    """The kept database brought to the Hunan directory, the demo county and `size` cases."""
    t0 = time.perf_counter()
    bench_stations.build()  # migrate, regions, 4,400 stations and 50,000 deputies (once)
    notes = []
    if not User.objects.filter(username="county_staff").exists():
        call_command("import_categories", verbosity=0)
        call_command("demo", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        notes.append(f"directory and demo built in {time.perf_counter() - t0:.0f} s")
    province, _ = User.objects.get_or_create(username=PROVINCE_USER)
    if not province.memberships.exists():
        Membership.objects.create(
            user=province,
            role=Role.CONGRESS_STAFF,
            **membership_scope_fields(region=Region.objects.get(code="430000000000")),
        )
    missing = size - Case.objects.count()
    if missing > 0:
        t1 = time.perf_counter()
        call_command("seed_cases", count=missing, stdout=open(os.devnull, "w"))  # noqa: SIM115
        notes.append(f"seeded {missing:,} cases in {time.perf_counter() - t1:.0f} s")
    if missing > 0 or not KpiRollupMark.objects.exists():
        # The KPIs are read from the rollup the worker keeps (decision 0045); seeded cases
        # bypass the services, so it is rebuilt, as a deployment would after an import.
        t2 = time.perf_counter()
        call_command("kpi_rollup", stdout=open(os.devnull, "w"))  # noqa: SIM115
        notes.append(f"KPI rollup rebuilt in {time.perf_counter() - t2:.0f} s")
    if missing > 0 or not index_path(LOW, HIGH).exists():
        # The case page's similar cases come from the index file the worker keeps (decision
        # 0050) and no worker runs here: built as a deployment would after a bulk load.
        t3 = time.perf_counter()
        call_command("similar_index", county=[LOW], stdout=open(os.devnull, "w"))  # noqa: SIM115
        notes.append(f"similar-case index built in {time.perf_counter() - t3:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return "; ".join(notes)


def session_cookie(username: str = "", tracked: str = "") -> str:
    """A session as the login view (or the tracking form) would leave it."""
    session = SessionStore()
    if username:
        user = User.objects.get(username=username)
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if tracked:
        session[SESSION_TRACKED] = [tracked]
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def pages() -> list[Page]:
    in_county = Case.objects.filter(region_id__gte=LOW, region_id__lte=HIGH)
    case = in_county.filter(status=Status.ASSIGNED).order_by("-id").first()
    tracked = in_county.filter(status=Status.REPLIED).order_by("-id").first()
    station = (
        Station.objects.filter(status=StationStatus.ACTIVE, region_id__gte=LOW, region_id__lte=HIGH)
        .order_by("id")
        .first()
    )
    deputy = (
        Deputy.objects.filter(is_active=True, assignments__station=station).order_by("id").first()
    )
    assert case and tracked and station and deputy, "the demo county and seeded cases are missing"
    floors = [
        Page("floor-h5", "floor: empty public page", "/bench/floor/h5/", reference=True),
        Page(
            "floor-staff",
            "floor: empty staff page",
            "/staff/bench-floor/",
            "county_staff",
            reference=True,
        ),
    ]
    public = [
        Page("home", "home", "/", public=True),
        Page("directory", "station directory", "/stations/", public=True),
        Page("station", "station page", f"/s/{station.code}/", public=True),
        Page("deputy", "deputy page", f"/d/{deputy.code}/", public=True),
        Page("echo", "echo wall", "/cases/echo/", public=True),
    ]
    own = [
        Page("tracking", "tracking page", f"/cases/track/{tracked.tracking_code}/", tracked=True),
        Page("form", "H5 form (GET, station QR)", f"/cases/new/?station={station.code}"),
    ]
    staff: list[Page] = []
    for user, who in (("county_staff", "county"), (PROVINCE_USER, "province")):
        staff += [
            Page(f"home-{who}", f"staff home ({who})", "/staff/", user),
            Page(f"queue-{who}", f"case queue ({who} staff)", "/staff/cases/", user),
            Page(f"case-{who}", f"case page ({who})", f"/staff/cases/{case.pk}/", user),
            Page(f"deputies-{who}", f"deputy list ({who})", "/staff/deputies/", user),
            Page(f"stations-{who}", f"station list ({who})", "/staff/stations/", user),
            Page(f"kpis-{who}", f"KPI page ({who})", "/staff/cases/kpis/", user),
        ]
    staff += [
        Page("queue-officer", "case queue (liaison officer)", "/staff/cases/", "officer"),
        Page("queue-head", "case queue (station head)", "/staff/cases/", "station_head"),
        Page("queue-deputy", "case queue (deputy: 致我的意见)", "/staff/cases/", "deputy"),
        Page("queue-unit", "unit portal queue (handling unit)", "/staff/cases/", "unit"),
    ]
    return [*floors, *public, *own, *staff]


def _client(page: Page, cookie: str) -> Client:
    client = Client()
    if cookie:
        client.cookies.load(cookie)
    return client


def query_count(page: Page, cookie: str) -> tuple[int, int]:
    """Status and queries of one in-process request, caches warm, the page cache off."""
    client = _client(page, cookie)
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        client.get(page.url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page.url)
    return response.status_code, len(ctx.captured_queries)


@contextmanager
def server(**env: str) -> Iterator[str]:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    port = free_port()
    process = start_server(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def results_file(size: int) -> Path:
    return Path(settings.DATA_DIR) / f"pages-{connection.vendor}-{size}.json"


def measure(size: int, seconds: int, conns: int, fresh: bool) -> None:
    note = build(size)
    path = results_file(size)
    done: dict[str, Any] = {} if fresh or not path.exists() else json.loads(path.read_text())
    done["size"], done["cases"] = size, Case.objects.count()
    if note:
        done["note"] = note
    rows: dict[str, Any] = done.setdefault("pages", {})
    cookies: dict[str, str] = {}

    def cookie_of(page: Page) -> str:
        if page.tracked:
            return session_cookie(tracked=page.url.rstrip("/").rsplit("/", 1)[-1])
        if page.user and page.user not in cookies:
            cookies[page.user] = session_cookie(page.user)
        return cookies.get(page.user, "")

    def save() -> None:
        path.write_text(json.dumps(done, ensure_ascii=False, indent=1))

    todo = pages()
    for page in todo:  # first, so that a wrong status stops the run before minutes of wrk
        status, count = query_count(page, cookie_of(page))
        if status != 200:
            raise SystemExit(f"{page.url} answered {status} for {page.user or 'a visitor'}")
        visitor = page.public or not page.user  # the public targets: no one logged in
        rows.setdefault(page.key, {}).update(
            label=page.label,
            queries=count,
            public=page.public,
            reference=page.reference,
            budget=PUBLIC_BUDGET if visitor else STAFF_BUDGET,
            target=PUBLIC_TARGET if visitor else STAFF_TARGET,
        )
    save()
    for variant, env in (("served", {}), ("built", {"PUBLIC_PAGE_CACHE_SECONDS": "0"})):
        wanted = [p for p in todo if variant == "served" or p.public]
        wanted = [p for p in wanted if variant not in rows[p.key]]
        if not wanted:
            continue
        with server(**env) as base:
            for page in wanted:
                bare = wrk(f"{base}/bench/bare/", seconds, conns)
                cookie = cookie_of(page)
                extra = {"cookie": cookie} if cookie else {}
                measured = wrk(base + page.url, seconds, conns, **extra)
                rows[page.key][variant] = {"bare": bare, "page": measured}
                save()
                print(f"{size:,} {variant} {page.label}: {measured['rps']:.0f} req/s", flush=True)


def _cell(m: dict[str, Any] | None) -> str:
    if not m:
        return "—"
    page, bare = m["page"], m["bare"]
    ratio = page["rps"] / bare["rps"] if bare["rps"] else 0.0
    bad = f", **{page['bad']:.0f} failed**" if page["bad"] else ""
    return f"{page['rps']:,.0f} req/s, p95 {page['p95']:.0f} ms, **{ratio:.2f}×**{bad}"


def report(sizes: list[int], seconds: int, conns: int) -> str:
    vendor = connection.vendor
    runs = [json.loads(results_file(n).read_text()) for n in sizes if results_file(n).exists()]
    if not runs:
        raise SystemExit("nothing measured yet")
    prefix = "DATABASE_URL=postgres://… " if vendor == "postgresql" else ""
    heads = " | ".join(f"{r['cases']:,} cases: page, p95, ×bare | queries" for r in runs)
    lines = [
        f"## Pages people wait on ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_pages.py --sizes "
        f"{','.join(str(r['size']) for r in runs)} --seconds {seconds} --connections {conns}`.",
        "",
        "Data: the Hunan directory (4,400 stations, 50,000 deputies) of bench_stations.py, the "
        "demo county, `seed_cases` in 岳麓区. Each page is measured right after the bare view "
        f"(`wrk -t2 -c{conns} -d{seconds}s` each, after a warm-up), gunicorn with 2 sync workers "
        "on the same **2 cores** as wrk and the database. ×bare is the page's req/s over the "
        "bare view's in its own pair. *served*: as production serves it (public pages from the "
        "30-second page cache, decision 0041); *built*: the page cache off (the first visitor "
        "after an expiry). Queries: one in-process request, caches warm, page cache off. "
        "*floor*: the public or staff base template with nothing in it (config/urls_bench.py), "
        "the cheapest page of its kind; a page cannot beat its floor.",
        "",
        f"| page | {heads} |",
        "|---|" + "---|---:|" * len(runs),
    ]
    keys = list(runs[0]["pages"])
    misses: list[str] = []
    for key in keys:
        for variant in ("served", "built"):
            cells = []
            first = runs[0]["pages"][key]
            if variant == "built" and not first.get("public"):
                continue
            label = first["label"] + (f" ({variant})" if first.get("public") else "")
            for run in runs:
                row = run["pages"].get(key, {})
                m = row.get(variant)
                cells.append(f"{_cell(m)} | {row.get('queries', '—')}")
                if row.get("reference"):
                    continue
                if m and variant == "served":
                    ratio = m["page"]["rps"] / m["bare"]["rps"] if m["bare"]["rps"] else 0.0
                    if ratio < row["target"] or m["page"]["bad"]:
                        misses.append(f"{label} at {run['cases']:,}: {ratio:.2f}×")
                if variant == "served" and row.get("queries", 0) > row.get("budget", 99):
                    misses.append(f"{label}: {row['queries']} queries > {row['budget']}")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Targets (issue 16): public pages (and the tracking page and form) ≥ 0.25× the bare view",
        "with ≤ 6 queries, staff pages ≥ 0.1× with ≤ 12 queries; p95 within 1.3× from the",
        "smallest to the largest size.",
    ]
    if len(runs) > 1:
        small, big = runs[0]["pages"], runs[-1]["pages"]
        for key in keys:
            a, b = small[key].get("served"), big.get(key, {}).get("served")
            if small[key].get("reference"):
                continue
            if a and b and a["page"]["p95"] and b["page"]["p95"] / a["page"]["p95"] > 1.3:
                grown = b["page"]["p95"] / a["page"]["p95"]
                misses.append(f"{small[key]['label']}: p95 ×{grown:.2f} from the smallest size")
    lines.append("")
    lines.append("Missed: " + "; ".join(misses) + "." if misses else "All targets met in this run.")
    notes = [f"- {r['cases']:,} cases: {r['note']}" for r in runs if r.get("note")]
    if notes:
        lines += ["", "Seeding:", "", *notes]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--fresh", action="store_true", help="measure again what was measured")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--notes", help="a markdown file of remarks added to the section")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if not args.report_only:
        for size in sizes:
            measure(size, args.seconds, args.connections, args.fresh)
    text = report(sizes, args.seconds, args.connections)
    if args.notes:
        text += "\n\n" + Path(args.notes).read_text(encoding="utf-8").strip()
    write_section(f"pages-{connection.vendor}", text)
    print(text)


if __name__ == "__main__":
    main()
