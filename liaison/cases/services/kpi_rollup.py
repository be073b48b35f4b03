"""The KPI rollup's only writes: the worker's sweep and the rebuild (decision 0045).

A case's KPI components depend on its row alone, and the row of a (day, region, station) on the
cases submitted that local day there. So the sweep recomputes whole days: those of the cases
created since the mark, or with an event since the mark (every move appends one, a transfer to
another region included). Recomputing a day is one grouped aggregate over that day's cases
(the submitted_at index), whatever the size of the history.
"""

from __future__ import annotations

import datetime
from typing import Final

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from liaison.cases.kpi_counts import (
    EXCLUDED,
    changed_days,
    component_counts,
    current_mark,
    day_ranges,
    day_start,
)
from liaison.cases.models import Case, CaseEvent, KpiDay, KpiRollupMark

# The rebuild counts this many days per query, so its memory stays small at any size.
REBUILD_DAYS: Final = 31


def _recount(first: datetime.date, last: datetime.date) -> int:
    """Replace the rows of the days first … last with fresh counts; how many rows were written."""
    cases = Case.objects.exclude(status__in=EXCLUDED).filter(
        submitted_at__gte=day_start(first),
        submitted_at__lt=day_start(last + datetime.timedelta(days=1)),
    )
    counts = component_counts(cases)
    KpiDay.objects.filter(day__gte=first, day__lte=last).delete()
    KpiDay.objects.bulk_create(
        [
            KpiDay(day=day, region_id=region, station_id=station, **values)
            for (day, region, station), values in counts.items()
        ],
        batch_size=500,
    )
    return len(counts)


def _latest_ids() -> tuple[int, int]:
    cases = Case.objects.aggregate(m=Max("pk"))["m"] or 0
    events = CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    return int(cases), int(events)


def kpi_rollup_sweep(*, now: datetime.datetime | None = None) -> int:
    """The worker's sweep: recount the days of the cases that moved since the mark; how many
    days were recounted (0 most of the time)."""
    if current_mark() is None:
        # Never built: the first sweep is the rebuild.
        kpi_rollup_rebuild(now=now)
        return 0
    with transaction.atomic():
        mark = _mark_for_update()
        case_id, event_id = _latest_ids()
        days = changed_days(
            case_after=mark.case_id,
            event_after=mark.event_id_before,
            case_upto=case_id,
            event_upto=event_id,
        )
        for first, last in day_ranges(days):
            _recount(first, last)
        _save_mark(mark, case_id=case_id, event_id=event_id, now=now)
    return len(days)


def kpi_rollup_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Count every day again from the cases (`manage.py kpi_rollup`); how many rows.

    A month per transaction, each replacing its days' rows, so that SQLite's writers wait
    seconds, not the whole rebuild, and readers meanwhile see every day counted (anew or as
    before). The mark is set at the end to the ids read at the start: what moved during the
    rebuild is counted again by the next sweep.
    """
    case_id, event_id = _latest_ids()
    rows = 0
    bounds = Case.objects.exclude(status__in=EXCLUDED).order_by("submitted_at")
    first_case = bounds.values_list("submitted_at", flat=True).first()
    last_case = bounds.reverse().values_list("submitted_at", flat=True).first()
    if first_case is None or last_case is None:
        KpiDay.objects.all().delete()
    else:
        first, end = timezone.localdate(first_case), timezone.localdate(last_case)
        day = first
        while day <= end:
            upto = min(end, day + datetime.timedelta(days=REBUILD_DAYS - 1))
            with transaction.atomic():
                rows += _recount(day, upto)
            day = upto + datetime.timedelta(days=1)
        KpiDay.objects.filter(Q(day__lt=first) | Q(day__gt=end)).delete()
    with transaction.atomic():
        mark = _mark_for_update()
        _save_mark(mark, case_id=case_id, event_id=event_id, now=now, rebuilt=True)
    return rows


def _mark_for_update() -> KpiRollupMark:
    mark, _created = KpiRollupMark.objects.select_for_update().get_or_create(pk=1)
    return mark


def _save_mark(
    mark: KpiRollupMark,
    *,
    case_id: int,
    event_id: int,
    now: datetime.datetime | None,
    rebuilt: bool = False,
) -> None:
    # The next sweep reads events again from this sweep's start (see KpiRollupMark).
    mark.event_id_before = event_id if rebuilt else mark.event_id
    mark.case_id, mark.event_id = case_id, event_id
    mark.swept_at = now or timezone.now()
    mark.save()
