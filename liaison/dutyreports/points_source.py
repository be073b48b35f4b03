"""What duty reports hand the points ledger (registered in `DutyReportsConfig.ready`).

A report counts for its deputy once held (述职 took place), in the quarter of the meeting; only a
scheduled report can be cancelled, so a held one never stops counting (decision 0030).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.dutyreports.models import HELD_STATUSES, DutyReport
from liaison.points.rules import RuleKey
from liaison.points.sources import Fact

SOURCE = "duty_report"


def duty_report_facts(
    deputy_ids: Collection[int] | None, start: datetime.date, end: datetime.date
) -> Iterator[Fact]:
    rows = DutyReport.objects.filter(
        status__in=HELD_STATUSES, starts_at__date__gte=start, starts_at__date__lte=end
    )
    if deputy_ids is not None:
        rows = rows.filter(deputy_id__in=deputy_ids)
    for pk, deputy_id, starts_at, title in rows.values_list(
        "pk", "deputy_id", "starts_at", "title"
    ):
        label = (_("向选民述职：%(t)s") % {"t": title})[:200]
        on = timezone.localtime(starts_at).date()
        yield Fact(deputy_id, RuleKey.DUTY_REPORT, SOURCE, pk, on, label=label)
