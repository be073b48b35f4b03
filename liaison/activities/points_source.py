"""What duty activities hand the points ledger (registered in `ActivitiesConfig.ready`).

Only VERIFIED activities count (decision 0019). A deputy who attended gets the activity's
kind (training: its hours instead); an invited deputy who neither came nor was on leave is
absent without leave for the activity's half days (every started 4 hours is half a day).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Iterator
from decimal import Decimal

from django.utils import timezone

from liaison.activities.models import ActivityKind, Participation, Status
from liaison.activities.rules import kind_label
from liaison.points.rules import HALF_DAY_HOURS, RuleKey
from liaison.points.sources import Fact

SOURCE = "activity"


def half_days(starts_at: datetime.datetime, ends_at: datetime.datetime) -> int:
    hours = (ends_at - starts_at).total_seconds() / 3600
    return max(1, math.ceil(hours / HALF_DAY_HOURS))


def activity_facts(
    deputy_ids: Collection[int] | None, start: datetime.date, end: datetime.date
) -> Iterator[Fact]:
    """The countable facts of verified activities held between start and end."""
    rows = Participation.objects.filter(
        activity__status=Status.VERIFIED,
        activity__starts_at__date__gte=start,
        activity__starts_at__date__lte=end,
    )
    if deputy_ids is not None:
        rows = rows.filter(deputy_id__in=deputy_ids)
    values = rows.values_list(
        "deputy_id", "attended", "invited", "on_leave", "activity_id", "activity__kind",
        "activity__title", "activity__starts_at", "activity__ends_at", "activity__hours",
    )  # fmt: skip
    for deputy_id, attended, invited, on_leave, pk, kind, title, starts, ends, hours in values:
        on = timezone.localtime(starts).date()
        label = f"{kind_label(kind)}：{title}"[:200]
        if attended and kind == ActivityKind.TRAINING:
            hours_taken = Decimal(hours or 0)
            yield Fact(
                deputy_id, RuleKey.TRAINING_HOUR, SOURCE, pk, on,
                quantity=hours_taken, detail=kind, label=label,
            )  # fmt: skip
        elif attended:
            yield Fact(deputy_id, RuleKey.ACTIVITY, SOURCE, pk, on, detail=kind, label=label)
        elif invited and not on_leave:
            missed = Decimal(half_days(starts, ends))
            yield Fact(
                deputy_id, RuleKey.ABSENCE, SOURCE, pk, on,
                quantity=missed, detail=kind, label=label,
            )  # fmt: skip
