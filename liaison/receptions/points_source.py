"""What reception days hand the points ledger (registered in `ReceptionsConfig.ready`).

An on-duty deputy confirmed present earns the reception day; one confirmed absent loses the
"missed" deduction (a duty given away through an approved swap is released and counts for
nobody). A case the deputy took at a reception counts once it is closed, in the quarter it
closed. Cases lie below points and cannot tell it when they close, so this source also names
the deputies whose reception cases moved lately; the worker's sweep syncs them (decision 0030).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.cases.models import CaseEvent, Status
from liaison.points.rules import RuleKey
from liaison.points.sources import Fact
from liaison.receptions.models import DayStatus, DutyStatus, ReceptionDuty, ReceptionItem

DUTY_SOURCE = "reception_duty"
ITEM_SOURCE = "reception_item"


def reception_facts(
    deputy_ids: Collection[int] | None, start: datetime.date, end: datetime.date
) -> Iterator[Fact]:
    duties = ReceptionDuty.objects.filter(
        status=DutyStatus.ON_DUTY, present__isnull=False, day__date__gte=start,
        day__date__lte=end,
    ).exclude(day__status=DayStatus.CANCELLED)  # fmt: skip
    if deputy_ids is not None:
        duties = duties.filter(deputy_id__in=deputy_ids)
    for pk, deputy_id, present, on, station in duties.values_list(
        "pk", "deputy_id", "present", "day__date", "day__station__name"
    ):
        rule = RuleKey.RECEPTION_DAY if present else RuleKey.RECEPTION_MISSED
        label = _("接待日：%(station)s %(date)s") % {"station": station, "date": on.isoformat()}
        yield Fact(deputy_id, rule, DUTY_SOURCE, pk, on, label=label[:200])
    items = ReceptionItem.objects.filter(
        deputy__isnull=False, case__status=Status.CLOSED, case__closed_at__isnull=False,
        case__closed_at__date__gte=start - datetime.timedelta(days=1),
        case__closed_at__date__lte=end + datetime.timedelta(days=1),
    )  # fmt: skip
    if deputy_ids is not None:
        items = items.filter(deputy_id__in=deputy_ids)
    for pk, deputy_id, closed_at, number, day in items.values_list(
        "pk", "deputy_id", "case__closed_at", "number", "reception__day__date"
    ):
        assert deputy_id is not None and closed_at is not None
        label = _("接待日 %(date)s 第 %(n)d 项反映事项办结") % {
            "date": day.isoformat(),
            "n": number,
        }
        on = timezone.localtime(closed_at).date()
        yield Fact(deputy_id, RuleKey.RECEPTION_CASE, ITEM_SOURCE, pk, on, label=label[:200])


def reception_cases_changed(since: datetime.datetime) -> Iterator[tuple[int, int]]:
    """(deputy, year) of reception cases with any move since `since` (closed, reopened,
    merged): their points may have changed. Both years when a case moved across a new year."""
    moved = CaseEvent.objects.filter(at__gte=since).values("case_id")
    items = ReceptionItem.objects.filter(deputy__isnull=False, case_id__in=moved)
    this_year = timezone.localdate().year
    for deputy_id, day in items.values_list("deputy_id", "reception__day__date").distinct():
        assert deputy_id is not None
        for year in sorted({day.year, this_year}):
            yield deputy_id, year
