"""The case loop under load: intake next to a bare view, tracking, echo wall and workbench queue.

Usage (from the project root; needs `wrk`, e.g. `apt-get install wrk`):
    .venv/bin/python bench/bench_cases.py                                  # SQLite, temp DATA_DIR
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_cases.py        # an empty PostgreSQL db
    options: --sizes 10000,1000000  --seconds 20  --connections 8

For each size: seed the database up to that many cases (`manage.py seed_cases`), start gunicorn
with 2 sync workers (DEBUG off, rate limits off, config.settings_bench which adds /bench/bare/),
and drive it with wrk at a fixed concurrency. The workbench queue is read as the demo user
county_staff through a session made here. Writes the section "cases-<vendor>" of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATA_DIR"):
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="liaison-bench-cases-")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("USE_TLS", "0")
os.environ.setdefault("SECRET_KEY", "bench-cases-secret")
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
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench.report import write_section  # noqa: E402
from config.urls_bench import durable_table_ensure  # noqa: E402
from liaison.accounts.models import User  # noqa: E402
from liaison.cases.models import Case, CaseEvent, IntakeEntry  # noqa: E402
from liaison.cases.services.journal_move import intake_entries_move_all  # noqa: E402
from liaison.stations.models import Station, StationStatus  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
LUA = str(ROOT / "bench" / "wrk_cases.lua")
PIN = "123456"
PAGES = {"echo": "/cases/echo/", "queue": "/staff/cases/"}


def build(size: int) -> str:
    """Bring the database to `size` cases; a line on how the seeding went."""
    call_command("migrate", verbosity=0)
    if not Station.objects.exists():
        call_command(
            "import_regions", str(ROOT / "liaison/regions/fixtures/regions_hunan_2023.csv")
        )
        call_command("import_categories", verbosity=0)
        call_command("demo", verbosity=0)
    # Into this run's DATA_DIR (a temporary one by default), also when the database is reused.
    call_command("collectstatic", interactive=False, verbosity=0)
    # Cases an earlier run's intake measurement posted (wrk_cases.lua tokens) would make this run
    # start from thousands of cases waiting for acceptance; their events are append-only (the
    # database refuses to delete them), so such a database cannot be reused.
    if Case.objects.filter(client_token__startswith="bench-").exists():
        raise SystemExit("this database holds an earlier run's intake: measure on an empty one")
    IntakeEntry.objects.filter(client_token__startswith="bench-").delete()
    durable_table_ensure()  # the durable reference's own table, empty (decision 0043)
    missing = size - Case.objects.count()
    note = ""
    if missing > 0:
        t0 = time.perf_counter()
        call_command("seed_cases", count=missing, stdout=open(os.devnull, "w"))  # noqa: SIM115
        took = time.perf_counter() - t0
        note = f"seeded {missing:,} cases in {took:.0f} s ({missing / took:,.0f}/s)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            # The deletes and the vacuum leave dirty pages (hundreds of MB at 1M): written out
            # now, not by the checkpointer during the first measures. Needs a superuser or
            # pg_checkpoint; without it the run says so in its note.
            try:
                with transaction.atomic():
                    cursor.execute("CHECKPOINT")
            except DatabaseError as exc:
                note = "; ".join(filter(None, [note, f"no CHECKPOINT before measuring ({exc})"]))
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return note


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=os.environ.copy(), start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def start_worker(**env: str) -> subprocess.Popen[bytes]:
    """`manage.py worker` as `make run` starts it: it moves the intake journal into cases while
    intake is measured, on the same two cores (decision 0006)."""
    return subprocess.Popen(
        [PY, "manage.py", "worker", "--escalation-minutes", "0"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _drained(result: dict[str, float]) -> dict[str, float]:
    """Wait until the running worker has made every journal entry a case; how long it took."""
    waiting = IntakeEntry.objects.filter(moved_at__isnull=True)
    result["backlog"] = waiting.count()
    t0 = time.perf_counter()
    while waiting.exists() and time.perf_counter() - t0 < 900:
        time.sleep(0.2)
    result["drain"] = time.perf_counter() - t0
    result["left"] = waiting.count()
    journaled = IntakeEntry.objects.filter(client_token__startswith="bench-").count()
    result["lost"] = journaled - Case.objects.filter(client_token__startswith="bench-").count()
    return result


def intake_run(base: str, seconds: int, conns: int, station: str, **env: str) -> dict[str, float]:
    """One intake measure with the worker running, then how long the journal takes to empty."""
    intake_entries_move_all()  # start from an empty journal, as a running worker keeps it
    worker = start_worker(**env)
    try:
        return _drained(wrk(f"{base}/", seconds, conns, mode="intake", station=station))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


PAIRS = 3


def intake_pairs(base: str, seconds: int, conns: int, station: str) -> list[dict[str, Any]]:
    """The two references and an intake burst measured back to back, PAIRS times, with the worker
    running on its defaults: the bare view, the durable reference (the bare view plus one
    committed INSERT of a row as wide as a journal row, decision 0043), then intake. This VM
    drifts by ±20 % over minutes, so a ratio of two measures taken minutes apart says more about
    the drift than about intake; each group is taken within a minute or two, on a drained
    journal (the worker's move never overlaps the references)."""
    intake_entries_move_all()
    worker = start_worker()
    pairs = []
    try:
        for _round in range(PAIRS):
            bare = wrk(f"{base}/bench/bare/", seconds, conns)
            durable = wrk(f"{base}/bench/durable/", seconds, conns)
            intake = _drained(wrk(f"{base}/", seconds, conns, mode="intake", station=station))
            pairs.append({"bare": bare, "durable": durable, "intake": intake})
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    return pairs


def _ratio(pair: dict[str, Any]) -> float:
    return float(pair["intake"]["rps"] / pair["bare"]["rps"])


def staff_cookie() -> str:
    """A logged-in session of county_staff, as the login view would leave it."""
    user = User.objects.get(username="county_staff")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def tracking_codes(path: Path, n: int = 2000) -> None:
    """Random seeded cases (PIN 123456), picked by id so that it stays cheap at 1M."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM cases_case")
        low, high = cursor.fetchone()
    ids = random.Random(7).sample(range(low, high + 1), min(n, high - low + 1))
    codes = Case.objects.filter(pk__in=ids, events__data__seeded=True).values_list(
        "tracking_code", flat=True
    )
    path.write_text("\n".join(sorted(set(codes))) + "\n")


WARMUP_SECONDS = 3


def wrk(url: str, seconds: int, conns: int, **env: str) -> dict[str, float]:
    """Steady state of one request kind: an unrecorded warm-up run first, because each gunicorn
    worker imports its views, DRF and the like on its first requests (seconds, not ms)."""
    headers = ["-H", f"Cookie: {env.pop('cookie')}"] if "cookie" in env else []
    out = ""
    for duration in (WARMUP_SECONDS, seconds):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--timeout", "60s", "-s", LUA,
             *headers, url],
            env={**os.environ, **{f"BENCH_{k.upper()}": v for k, v in env.items()}},
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    n, secs, bad, errors, p50, p95, p99 = (float(v) for v in line.split()[1:])
    if bad or errors:
        print(out, file=sys.stderr)
    return {"rps": n / secs, "p50": p50, "p95": p95, "p99": p99, "bad": bad + errors}


def check(base: str, cookie: str, station: str, code: str) -> None:
    """One request of each kind first: the expected status, not an error page, is measured."""
    client = Client()
    client.cookies.load(cookie)
    assert client.get(PAGES["queue"]).status_code == 200
    assert Client().get(PAGES["echo"]).status_code == 200
    # The PIN travels in a header or the body, never in the URL (access logs).
    assert Client().get(f"/api/v1/public/cases/{code}", HTTP_X_CASE_PIN=PIN).status_code == 200
    lookup = Client().post(f"/api/v1/public/cases/{code}", {"pin": PIN}, "application/json")
    assert lookup.status_code == 200
    body = f'{{"station_code":"{station}","kind":"help","title":"t","content":"c"}}'
    request = urllib.request.Request(
        f"{base}/api/v1/public/cases", body.encode(), {"Content-Type": "application/json"}
    )
    assert urllib.request.urlopen(request).status == 201


def slowest_query(url: str, cookie: str = "") -> str:
    """The slowest SQL of one in-process render of `url`, with its time (diagnosis)."""
    client = Client()
    if cookie:
        client.cookies.load(cookie)
    # As built, not as the 30-second page cache serves it (decision 0041).
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
    if not ctx.captured_queries:
        return "no query"
    worst = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    total = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    return (
        f"{len(ctx.captured_queries)} queries, {total:.0f} ms in SQL; slowest "
        f"{float(worst['time']) * 1000:.0f} ms: `{worst['sql'][:300]}`"
    )


def measure(size: int, seconds: int, conns: int, work: Path) -> dict[str, object]:
    note = build(size)
    station = (
        Station.objects.filter(status=StationStatus.ACTIVE, region__code__startswith="430104")
        .values_list("code", flat=True)
        .first()
    )
    assert station
    codes = work / "codes.txt"
    tracking_codes(codes)
    first_code = codes.read_text().split()[0]
    cookie = staff_cookie()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        check(base, cookie, station, first_code)
        results: dict[str, object] = {
            "size": Case.objects.count(),
            "events": CaseEvent.objects.count(),
            "note": note,
            # The list pages and lookups first, on the seeded ledger: the intake run below adds
            # thousands of cases waiting for acceptance, which is the queue's default tab.
            "echo": wrk(base + PAGES["echo"], seconds, conns),
            "queue": wrk(base + PAGES["queue"], seconds, conns, cookie=cookie),
            "echo_sql": slowest_query(PAGES["echo"]),
            "queue_sql": slowest_query(PAGES["queue"], cookie),
            "track": wrk(f"{base}/", seconds, conns, mode="track", codes=str(codes)),
            "api": wrk(f"{base}/", seconds, conns, mode="api", codes=str(codes)),
            # Bursts, each next to the bare view: the worker moves the journal once submissions
            # pause (the default). The pair with the median ratio gives the rows.
            "pairs": intake_pairs(base, seconds, conns, station),
            # Sustained load: the worker moves entries all along, competing for the cores and
            # SQLite's write lock.
            "sustained": intake_run(
                base, seconds, conns, station, INTAKE_QUIET_SECONDS="0", INTAKE_MAX_WAIT_SECONDS="0"
            ),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    pairs = results["pairs"]
    assert isinstance(pairs, list)
    middle = sorted(pairs, key=_ratio)[len(pairs) // 2]
    results["bare"], results["intake"] = middle["bare"], middle["intake"]
    results["durable"] = middle["durable"]
    results["pairs"] = [[p["bare"]["rps"], p["intake"]["rps"], p["durable"]["rps"]] for p in pairs]
    print(results, flush=True)
    return results


def _pairs(run: dict[str, object], reference: int = 0) -> str:
    """Intake over the bare view (reference 0) or over the durable reference (2) in each pair."""
    pairs = run.get("pairs")
    if not isinstance(pairs, list):
        return "one"  # a log from before the pairs
    if any(len(p) <= reference for p in pairs):
        return "not measured"  # a log from before the durable reference
    return ", ".join(f"{p[1] / p[reference]:.2f}×" for p in pairs)


def _durable_ratio(run: dict[str, object]) -> float | None:
    durable, intake = run.get("durable"), run.get("intake")
    if not isinstance(durable, dict) or not isinstance(intake, dict) or not durable["rps"]:
        return None
    return float(intake["rps"] / durable["rps"])


def report(runs: list[dict[str, object]], sizes: str, seconds: int, conns: int) -> str:
    vendor = connection.vendor
    prefix = "DATABASE_URL=postgres://… " if vendor == "postgresql" else ""
    heads = " | ".join(f"{int(str(r['size'])):,} cases" for r in runs)
    lines = [
        f"## Case loop under load ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_cases.py --seconds {seconds} "
        f"--connections {conns} --sizes {sizes}` (sizes are reached by `manage.py seed_cases`).",
        "",
        "gunicorn, 2 sync workers, DEBUG off, rate limits off (`config.settings_bench`), "
        f"`wrk -t2 -c{conns} -d{seconds}s` on the same machine: **2 CPU cores**, so the load "
        "generator, both workers and the database compete for the same cores and absolute "
        "figures are modest; the ratios are the figures.",
        "",
        f"| measure | {heads} |",
        "|---|" + "---:|" * len(runs),
    ]

    def row(label: str, key: str, fields: tuple[str, ...]) -> str:
        cells = []
        for r in runs:
            m = r[key]
            assert isinstance(m, dict)
            if not m["rps"]:
                cells.append(f"no response within the {seconds} s run")
                continue
            part = [
                f"{m['rps']:,.0f} req/s" if f == "rps" else f"{f} {m[f]:.1f} ms" for f in fields
            ]
            cells.append(", ".join(part) + (f" ({m['bad']:.0f} failed)" if m["bad"] else ""))
        return f"| {label} | " + " | ".join(cells) + " |"

    lines += [
        row("bare view GET /bench/bare/", "bare", ("rps", "p50", "p99")),
        row(
            "durable reference GET /bench/durable/ (bare view + one committed INSERT)",
            "durable",
            ("rps", "p50", "p99"),
        )
        if all(isinstance(r.get("durable"), dict) for r in runs)
        else "| durable reference | " + " | ".join("not measured" for _r in runs) + " |",
        row("intake POST /api/v1/public/cases (burst)", "intake", ("rps", "p50", "p99")),
        row(
            "intake POST, sustained (worker moving all along)",
            "sustained",
            ("rps", "p50", "p99"),
        ),
        row(
            "tracking API POST /api/v1/public/cases/‹code› (PIN in body)",
            "track",
            ("rps", "p50", "p95"),
        ),
        row(
            "tracking API GET /api/v1/public/cases/‹code› (X-Case-Pin)",
            "api",
            ("rps", "p50", "p95"),
        ),
        row("echo wall page 1", "echo", ("rps", "p50", "p95")),
        row("workbench queue page 1 (county_staff)", "queue", ("rps", "p50", "p95")),
    ]
    ratios = [f"{r['intake']['rps'] / r['bare']['rps']:.2f}×" for r in runs]  # type: ignore[index]
    cells = [f"**{ratio}** (pairs: {_pairs(r)})" for ratio, r in zip(ratios, runs, strict=True)]
    lines.append("| **intake / bare view (req/s)**, median pair | " + " | ".join(cells) + " |")
    durable_ratios = [_durable_ratio(r) for r in runs]
    cells = [
        f"**{ratio:.2f}×** (pairs: {_pairs(r, 2)})" if ratio is not None else "not measured"
        for ratio, r in zip(durable_ratios, runs, strict=True)
    ]
    lines.append(
        "| **intake / durable reference (req/s)**, same pair | " + " | ".join(cells) + " |"
    )
    steady = [f"{r['sustained']['rps'] / r['bare']['rps']:.2f}×" for r in runs]  # type: ignore[index]
    lines.append("| sustained intake / bare view (req/s) | " + " | ".join(steady) + " |")

    def drained(m: dict[str, float]) -> str:
        text = f"{m['backlog']:,.0f} waiting at the end, all cases {m['drain']:.1f} s later"
        if m["left"] or m["lost"]:
            text += f"; **{m['left']:,.0f} left, {m['lost']:,.0f} not cases**"
        return text

    for key, label in (("intake", "burst"), ("sustained", "sustained")):
        found = [r.get(key) for r in runs]
        cells = [drained(m) if isinstance(m, dict) and "backlog" in m else "—" for m in found]
        lines.append(f"| journal after the {label} run | " + " | ".join(cells) + " |")
    if vendor == "postgresql":  # issue 16: the durable acknowledgement is PostgreSQL's yardstick
        measured = [f"{x:.2f}×" for x in durable_ratios if x is not None] or ["not measured"]
        lines += [
            "",
            "Target: intake ≥ 0.7× the durable reference — " + ", ".join(measured) + ".",
            "(Also reported: intake / bare view — " + ", ".join(ratios) + ".)",
        ]
    else:
        lines += ["", "Target: intake ≥ 0.5× the bare view — " + ", ".join(ratios) + "."]
    if len(runs) > 1:
        small, big = runs[0], runs[-1]
        for key, label in (("echo", "echo wall"), ("queue", "workbench queue")):
            s, b = small[key], big[key]
            assert isinstance(s, dict) and isinstance(b, dict)
            head = f"Target list pages within 1.3× from the smallest to the largest size — {label}"
            if not b["rps"] or not s["rps"]:
                lines.append(f"{head}: **missed** (no page answered within the run).")
                continue
            ratio = b["p95"] / s["p95"]
            verdict = "met" if ratio <= 1.3 else "**missed**"
            lines.append(f"{head}: p95 ×{ratio:.2f}, p50 ×{b['p50'] / s['p50']:.2f} ({verdict}).")
    lines += ["", "Slowest SQL of one render (in-process, same database):", ""]
    for r in runs:
        note = f"; {r['note']}" if r["note"] else ""
        lines.append(f"- {int(str(r['size'])):,} cases ({r['events']:,} events{note}):")
        lines.append(f"  - echo wall: {r['echo_sql']}")
        lines.append(f"  - queue: {r['queue_sql']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--notes", help="a markdown file of remarks added to the section")
    parser.add_argument("--from-log", help="rewrite the section from this run's printed output")
    args = parser.parse_args()
    if args.from_log:  # the figures of an earlier run, e.g. to add --notes without re-measuring
        log = Path(args.from_log).read_text(encoding="utf-8").splitlines()
        runs = [ast.literal_eval(line) for line in log if line.startswith("{'size'")]
    else:
        with tempfile.TemporaryDirectory() as work:
            sizes = [int(s) for s in args.sizes.split(",")]
            runs = [measure(n, args.seconds, args.connections, Path(work)) for n in sizes]
    text = report(runs, args.sizes, args.seconds, args.connections)
    if args.notes:
        text += "\n\n" + Path(args.notes).read_text(encoding="utf-8").strip()
    write_section(f"cases-{connection.vendor}", text)
    print(text)


if __name__ == "__main__":
    main()
