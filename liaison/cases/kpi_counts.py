"""The KPI components of a set of cases, per (submitted local day, region, station).

One grouped aggregate and one query of the replied cases (working days counted in Python with
calendars from one query of overrides). The rollup stores these rows (services/kpi_rollup.py);
the KPI page adds them up, and counts the same way the few days that moved since the sweep.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Final

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from liaison.cases.models import Case, CaseEvent, KpiRollupMark, Rating, Status
from liaison.cases.queues import PageCalendars

# Left out of every cohort: merged duplicates (the primary counts once) and withdrawn cases.
EXCLUDED: Final = (Status.MERGED, Status.WITHDRAWN)

# The stored components, in KpiDay's column order.
COMPONENTS: Final = (
    "total",
    "accepted",
    "declined",
    "assigned_replied",
    "replied_on_time",
    "rated",
    "satisfied",
    "basic",
    "replied_with_days",
    "reply_days_sum",
)

Key = tuple[datetime.date, str, int | None]

ASSIGNED: Final = Q(reply_due__isnull=False, assigned_at__isnull=False)
REPLIED: Final = Q(replied_at__isnull=False)


def day_start(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_ranges(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days joined into (first, last) ranges, in order."""
    ranges: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] + datetime.timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def component_counts(cases: QuerySet[Case]) -> dict[Key, dict[str, int]]:
    """Every stored KPI component of `cases` (a cohort: EXCLUDED already left out), by key."""
    rows = (
        cases.order_by()
        .annotate(day=TruncDate("submitted_at"), replied_day=TruncDate("replied_at"))
        .values("day", "region_id", "station_id")
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            declined=Count("pk", filter=Q(status=Status.DECLINED)),
            assigned_replied=Count("pk", filter=ASSIGNED & REPLIED),
            replied_on_time=Count(
                "pk", filter=ASSIGNED & REPLIED & Q(replied_day__lte=F("reply_due"))
            ),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basic=Count("pk", filter=Q(rating=Rating.BASIC)),
        )
    )
    names = [name for name in COMPONENTS if name not in ("replied_with_days", "reply_days_sum")]
    result: dict[Key, dict[str, int]] = {}
    for row in rows:
        values: dict[str, Any] = dict(row)
        key: Key = (values["day"], values["region_id"], values["station_id"])
        result[key] = {name: int(values[name] or 0) for name in names}
        result[key].update(replied_with_days=0, reply_days_sum=0)
    for key, (count, total) in _reply_days(cases).items():
        result[key].update(replied_with_days=count, reply_days_sum=total)
    return result


def _reply_days(cases: QuerySet[Case]) -> dict[Key, tuple[int, int]]:
    """(replied cases, Σ working days from assignment to reply) by key."""
    rows = list(
        cases.filter(assigned_at__isnull=False, replied_at__isnull=False)
        .order_by()
        .values_list("submitted_at", "region_id", "station_id", "assigned_at", "replied_at")
    )
    if not rows:
        return {}
    days = [
        (
            (timezone.localdate(submitted), region, station),
            timezone.localdate(assigned),
            timezone.localdate(replied),
        )
        for submitted, region, station, assigned, replied in rows
    ]
    years = [d.year for _k, a, b in days for d in (a, b)]
    calendars = PageCalendars({k[1] for k, _a, _b in days}, start=min(years), end=max(years))
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for key, start, end in days:
        entry = sums[key]
        entry[0] += 1
        entry[1] += max(0, calendars.for_region(key[1]).working_days_between(start, end))
    return {key: (count, total) for key, (count, total) in sums.items()}


def add_up(rows: Iterable[dict[str, int]]) -> dict[str, int]:
    """The components summed over rows."""
    total = dict.fromkeys(COMPONENTS, 0)
    for row in rows:
        for name in COMPONENTS:
            total[name] += row[name]
    return total


def current_mark() -> KpiRollupMark | None:
    """How far the rollup is; None before its first build (then every figure is counted live)."""
    return KpiRollupMark.objects.filter(pk=1, swept_at__isnull=False).first()


def changed_days(
    *,
    case_after: int,
    event_after: int,
    case_upto: int | None = None,
    event_upto: int | None = None,
) -> set[datetime.date]:
    """The submitted local days of the cases created, or with an event, after the marks (and up
    to `*_upto` when given): the days whose rollup rows may be out of date. Both through the
    primary keys' indexes."""
    events = CaseEvent.objects.filter(pk__gt=event_after)
    cases = Case.objects.filter(pk__gt=case_after)
    if event_upto is not None:
        events = events.filter(pk__lte=event_upto)
    if case_upto is not None:
        cases = cases.filter(pk__lte=case_upto)
    moved = Case.objects.filter(Q(pk__in=cases.values("pk")) | Q(pk__in=events.values("case_id")))
    return set(
        moved.order_by()
        .annotate(day=TruncDate("submitted_at"))
        .values_list("day", flat=True)
        .distinct()
    )
