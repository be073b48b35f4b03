"""Reply quality of handling units on real cases (the engine is liaison.insights.reply_quality).

`unit_reply_quality(unit=…, period=…)` scores one unit; `units_with_low_reply_quality(user, …)`
is the selector the supervision page uses; the monthly report calls `quality_by_unit`.
A case's reply counts in the period in which it was *given* (`replied_at`); lateness is measured
against the case's own `reply_due` (after extensions), else from assignment with the
`reply_late_working_days` setting.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from liaison.cases.models import Case
from liaison.insights.reply_quality import (
    QualitySummary,
    ReplyItem,
    assess_replies,
    summarize,
)
from liaison.jurisdiction.selectors import setting_value
from liaison.reports.models import MonthlyReport

Period = tuple[datetime.date, datetime.date]


def _replied_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start, end = period
    return (
        cases.filter(replied_at__date__gte=start, replied_at__date__lte=end, unit__isnull=False)
        .exclude(reply="")
        .select_related("unit")
        .order_by("id")
    )


def _items(cases: list[Case]) -> list[ReplyItem]:
    return [
        ReplyItem(
            message=c.content,
            title=c.title,
            reply=c.reply,
            submitted_at=timezone.localdate(c.assigned_at or c.submitted_at),
            replied_at=timezone.localdate(c.replied_at) if c.replied_at else None,
            due=c.reply_due,
            region_code=c.region_id,
            key=c.pk,
        )
        for c in cases
    ]


def _late_after(region_code: str | None) -> int:
    return int(setting_value(key="reply_late_working_days", region=region_code))


def unit_reply_quality(*, unit: Any, period: Period) -> QualitySummary:
    """Mean score and flag counts of the replies `unit` gave in `period` (dates inclusive)."""
    cases = list(_replied_in(Case.objects.filter(unit=unit), period))
    late_after = _late_after(getattr(unit, "region_id", None))
    return summarize(assess_replies(_items(cases), late_after=late_after))


def quality_by_unit(*, cases: QuerySet[Case], month: datetime.date) -> list[dict[str, Any]]:
    """Per unit (worst first): replies of the month among `cases`, scored in one batch."""
    from liaison.reports.data import month_end

    rows = list(_replied_in(cases, (month, month_end(month))))
    if not rows:
        return []
    late_after = _late_after(rows[0].region_id)
    assessments = assess_replies(_items(rows), late_after=late_after)
    grouped: dict[int, list[Any]] = defaultdict(list)
    names: dict[int, str] = {}
    for case, assessment in zip(rows, assessments, strict=True):
        assert case.unit is not None
        grouped[case.unit_id].append(assessment)  # type: ignore[index]
        names[case.unit_id] = case.unit.name  # type: ignore[index]
    result = []
    for unit_id, items in grouped.items():
        summary = summarize(items)
        result.append({"unit_id": unit_id, "unit": names[unit_id], **summary.__dict__})
    return sorted(result, key=lambda r: (r["mean_score"], r["unit"]))


@dataclass(frozen=True)
class UnitQuality:
    unit_id: int
    unit: str
    summary: QualitySummary


def units_with_low_reply_quality(
    user: Any, *, period: Period, threshold: int | None = None, min_replies: int = 3
) -> list[UnitQuality]:
    """Units whose replies (in the user's view, in `period`) score under the threshold.

    The threshold defaults to the `reply_quality_low_score` setting of the user's first region.
    """
    from liaison.cases.selectors import cases_visible_to

    rows = list(_replied_in(cases_visible_to(user), period))
    if not rows:
        return []
    if threshold is None:
        threshold = int(setting_value(key="reply_quality_low_score", region=rows[0].region_id))
    assessments = assess_replies(_items(rows), late_after=_late_after(rows[0].region_id))
    grouped: dict[int, list[Any]] = defaultdict(list)
    names: dict[int, str] = {}
    for case, assessment in zip(rows, assessments, strict=True):
        grouped[case.unit_id].append(assessment)  # type: ignore[index]
        names[case.unit_id] = case.unit.name  # type: ignore[index,union-attr]
    low = []
    for unit_id, items in grouped.items():
        summary = summarize(items)
        if summary.replies >= min_replies and (summary.mean_score or 0) < threshold:
            low.append(UnitQuality(unit_id, names[unit_id], summary))
    return sorted(low, key=lambda u: u.summary.mean_score or 0)


def thresholds(report: MonthlyReport) -> dict[str, int]:
    """The follow-up rule thresholds of the report's region (a station: the station's region)."""
    region = report.region_id or (report.station.region_id if report.station else None)
    return {
        "topic_min": int(setting_value(key="report_topic_min_messages", region=region)),
        "rise_percent": int(setting_value(key="report_category_rise_percent", region=region)),
        "category_min": int(setting_value(key="report_category_min_cases", region=region)),
        "low_score": int(setting_value(key="reply_quality_low_score", region=region)),
    }
