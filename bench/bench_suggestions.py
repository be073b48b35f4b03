"""Hunan-scale benchmark of deputies' suggestions: about 15,000 a year across the province, city
and county congresses, each with 3 units (a lead and two co-handling) and 20 events.

Usage (from the project root):
    .venv/bin/python bench/bench_suggestions.py                       # SQLite in a temp directory
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_suggestions.py   # an empty PostgreSQL db

Builds the data with bulk inserts, then times the staff queue, the unit queue and the handling
table for staff of a county, a city and the province (queries per page counted), and the
handling report (data and Word document) of the province session and of every suggestion in the
province at once. Writes the figures to docs/benchmarks.md (section "suggestions").
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
from django.utils import timezone  # noqa: E402

from bench.report import write_section  # noqa: E402
from liaison.accounts.models import Membership, Role, User  # noqa: E402
from liaison.accounts.services import membership_scope_fields  # noqa: E402
from liaison.common.codes import new_public_code  # noqa: E402
from liaison.common.exports import document_docx  # noqa: E402
from liaison.deputies.models import Deputy, DeputyLevel  # noqa: E402
from liaison.regions.models import Level, Region  # noqa: E402
from liaison.suggestions.exports import report_document  # noqa: E402
from liaison.suggestions.models import (  # noqa: E402
    CongressSession,
    EventKind,
    Grade,
    Rating,
    Status,
    Suggestion,
    SuggestionEvent,
    SuggestionUnit,
)
from liaison.suggestions.stats import handling_table, session_summary  # noqa: E402
from liaison.units.models import HandlingUnit, UnitKind  # noqa: E402
from liaison.workflow.events import event_build  # noqa: E402

PROVINCE, CITY, COUNTY = "430000000000", "430100000000", "430104000000"
PER_CONGRESS = {DeputyLevel.PROVINCIAL: 1_000, DeputyLevel.CITY: 300, DeputyLevel.COUNTY: 80}
UNITS_PER_CONGRESS = 12
EVENTS = 20
RUNS = 20
STATUSES = [
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.ASSIGNED,
    Status.ANSWERED,
    Status.CLOSED,
    Status.CLOSED,
    Status.CLOSED,
    Status.REHANDLING,
]


def _congresses() -> list[tuple[str, str]]:
    rows = [(PROVINCE, DeputyLevel.PROVINCIAL)]
    rows += [
        (c, DeputyLevel.CITY)
        for c in Region.objects.filter(level=Level.CITY).values_list("code", flat=True)
    ]
    rows += [
        (c, DeputyLevel.COUNTY)
        for c in Region.objects.filter(level=Level.COUNTY).values_list("code", flat=True)
    ]
    return rows


def build() -> None:
    call_command("migrate", verbosity=0)
    call_command("import_regions", str(ROOT / "liaison/regions/fixtures/regions_hunan_2023.csv"))
    if Suggestion.objects.exists():
        return
    rng = random.Random(15)
    today = timezone.localdate()
    now = timezone.now()
    system = User.objects.create(username="bench_system")
    for code, level in _congresses():
        session = CongressSession.objects.create(
            congress_id=code,
            level=level,
            term=14,
            session=3,
            opens_on=today - datetime.timedelta(days=200),
            closes_on=today + datetime.timedelta(30),
        )
        author = Deputy.objects.create(
            code=new_public_code("D"), name=f"代表{code}", gender="male", home_region_id=code
        )
        HandlingUnit.objects.bulk_create(
            [
                HandlingUnit(region_id=code, name=f"{code}单位{i}", kind=UnitKind.DEPARTMENT)
                for i in range(UNITS_PER_CONGRESS)
            ]
        )
        units = list(HandlingUnit.objects.filter(region_id=code).values_list("pk", flat=True))
        n = PER_CONGRESS[level]
        rows = []
        for i in range(n):
            status = rng.choice(STATUSES)
            handled = status in (Status.ASSIGNED, Status.ANSWERED, Status.CLOSED, Status.REHANDLING)
            answered = status in (Status.ANSWERED, Status.CLOSED)
            rows.append(
                Suggestion(
                    session=session,
                    congress_id=code,
                    author=author,
                    created_by=system,
                    number=i + 1,
                    title=f"关于第{i}项民生问题的建议",
                    problem="问题" * 50,
                    analysis="分析" * 50,
                    proposal="建议" * 50,
                    status=status,
                    submitted_at=now,
                    assigned_at=now if handled else None,
                    lead_unit_id=rng.choice(units) if handled else None,
                    due_on=None if answered else today + datetime.timedelta(rng.randint(-10, 90)),
                    answer_due=today + datetime.timedelta(90) if handled else None,
                    answered_at=now if answered else None,
                    answered_late=answered and rng.random() < 0.1,
                    grade=rng.choice([Grade.A, Grade.A, Grade.B, Grade.C]) if answered else "",
                    rating=rng.choice(list(Rating.values)) if status == Status.CLOSED else "",
                    rated_at=now if status == Status.CLOSED else None,
                    is_priority=rng.random() < 0.02,
                    priority_leader="主任",
                )
            )
        Suggestion.objects.bulk_create(rows, batch_size=1000)
        session.last_number = n
        session.save(update_fields=["last_number"])
    parts: list[SuggestionUnit] = []
    events: list[SuggestionEvent] = []
    for s in Suggestion.objects.only("pk", "lead_unit_id", "congress_id").iterator(2000):
        if s.lead_unit_id:
            unit_ids = [s.lead_unit_id, s.lead_unit_id + 1, s.lead_unit_id + 2]
            for j, unit_id in enumerate(unit_ids):
                parts.append(
                    SuggestionUnit(
                        suggestion_id=s.pk,
                        unit_id=unit_id,
                        is_lead=j == 0,
                        assigned_at=now,
                        return_due=today,
                        view_due=None if j == 0 else today,
                    )
                )
        for k in range(EVENTS):
            events.append(
                event_build(
                    model=SuggestionEvent,
                    subject=s,
                    kind=EventKind.EDITED,
                    actor=None,
                    role="system",
                    note=f"记录{k}",
                )
            )
        if len(events) >= 20_000:
            SuggestionEvent.objects.bulk_create(events, batch_size=5000)
            events.clear()
    SuggestionEvent.objects.bulk_create(events, batch_size=5000)
    # A lead of +1/+2 may fall outside the congress's units at the end: harmless for timing.
    existing = set(HandlingUnit.objects.values_list("pk", flat=True))
    SuggestionUnit.objects.bulk_create([p for p in parts if p.unit_id in existing], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def client_for(name: str, role: str, **target: Any) -> Client:
    user, _ = User.objects.get_or_create(username=name)
    if not Membership.objects.filter(user=user, role=role).exists():
        Membership.objects.create(user=user, role=role, **membership_scope_fields(**target))
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    t0 = time.perf_counter()
    build()
    build_s = time.perf_counter() - t0
    staff = {
        "county": client_for("bench_county", Role.CONGRESS_STAFF, region=region(COUNTY)),
        "city": client_for("bench_city", Role.CONGRESS_STAFF, region=region(CITY)),
        "province": client_for("bench_province", Role.CONGRESS_STAFF, region=region(PROVINCE)),
    }
    busiest = (
        Suggestion.objects.filter(congress_id=PROVINCE, lead_unit__isnull=False)
        .values_list("lead_unit_id", flat=True)
        .first()
    )
    unit = client_for("bench_unit", Role.HANDLING_UNIT, unit=HandlingUnit.objects.get(pk=busiest))
    province_session = CongressSession.objects.get(congress_id=PROVINCE)

    rows: list[tuple[str, tuple[float, float], int]] = []

    def page(label: str, client: Client, url: str) -> None:
        # Counted with an execute wrapper: the request_started signal resets connection.queries.
        count = [0]

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        rows.append((label, timed(lambda: client.get(url)), count[0]))

    for scope, client in staff.items():
        page(f"staff queue ({scope} staff), page 1", client, "/staff/suggestions/queue/")
        page(
            f"staff queue ({scope} staff), red only, page 3",
            client,
            "/staff/suggestions/queue/?due_state=red&page=3",
        )
        page(f"handling table ({scope} staff)", client, "/staff/suggestions/table/")
    page("unit queue (a province lead unit), page 1", unit, "/staff/suggestions/units/")

    def province_report(scope_rows: Any, session: Any) -> None:
        units = handling_table(scope_rows)
        document_docx(report_document(session, session_summary(scope_rows), units))

    t1 = time.perf_counter()
    province_report(Suggestion.objects.filter(session=province_session), province_session)
    session_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    province_report(Suggestion.objects.all(), province_session)
    everything_s = time.perf_counter() - t2

    vendor = connection.vendor
    prefix = "DATABASE_URL=… " if vendor != "sqlite" else ""
    counts = (
        Suggestion.objects.count(),
        SuggestionUnit.objects.count(),
        SuggestionEvent.objects.count(),
        HandlingUnit.objects.count(),
    )
    lines = [
        f"## Deputies' suggestions at Hunan scale ({vendor})",
        "",
        f"Command: `{prefix}.venv/bin/python bench/bench_suggestions.py`",
        "",
        f"Data: {counts[0]:,} suggestions of one session in the province, 14 city and 122 county "
        f"congresses, {counts[1]:,} unit assignments, {counts[2]:,} events, {counts[3]:,} units "
        f"(built in {build_s:.0f} s). In-process Django test client, {RUNS} runs after one "
        "warm-up; queries counted on the first request.",
        "",
        "| page | p50 (ms) | p95 (ms) | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {p50:.1f} | {p95:.1f} | {q} |" for name, (p50, p95), q in rows]
    lines += [
        "",
        f"Handling report (办理情况报告, data and Word document): the province session "
        f"{session_s:.2f} s; all {counts[0]:,} suggestions of the province at once "
        f"{everything_s:.2f} s (target: under 30 s).",
    ]
    write_section(f"suggestions-{vendor}", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
