"""Reply quality of handling units on real cases, for the report and the supervision page.

`unit_reply_quality(unit=…, period=…)` scores one unit; `units_with_low_reply_quality(user, …)`
is the selector the supervision page uses; the monthly report calls `quality_by_unit`. They read
the stored scores through `liaison.insights.reply_scores` (which scores what is missing or stale);
the engine is `liaison.nlp.reply_quality`.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from liaison.cases.models import Case
from liaison.cases.selectors import cases_visible_to
from liaison.insights.reply_quality import FLAG_LABELS
from liaison.insights.reply_scores import Period, StoredScore, reply_scores
from liaison.jurisdiction.selectors import setting_value
from liaison.nlp.reply_quality import QualitySummary, summarize
from liaison.reports.data import month_end
from liaison.reports.models import MonthlyReport

# --- the aggregates ------------------------------------------------------------------------------


def unit_reply_quality(*, unit: Any, period: Period) -> QualitySummary:
    """Mean score and flag counts of the replies `unit` gave in `period` (dates inclusive)."""
    return summarize(reply_scores(Case.objects.filter(unit=unit), period))


def _by_unit(scores: Sequence[StoredScore]) -> dict[int, list[StoredScore]]:
    grouped: dict[int, list[StoredScore]] = defaultdict(list)
    for score in scores:
        if score.unit_id is not None:
            grouped[score.unit_id].append(score)
    return grouped


def quality_by_unit(*, cases: QuerySet[Case], month: datetime.date) -> list[dict[str, Any]]:
    """Per unit (worst first): replies of the month among `cases`, with their stored scores."""
    scores = reply_scores(cases, (month, month_end(month)))
    result = []
    for unit_id, items in _by_unit(scores).items():
        summary = summarize(items)
        result.append({"unit_id": unit_id, "unit": items[0].unit, **summary.__dict__})
    return sorted(result, key=lambda r: (r["mean_score"], r["unit"]))


@dataclass(frozen=True)
class UnitQuality:
    unit_id: int
    unit: str
    summary: QualitySummary

    @property
    def top_flags(self) -> list[tuple[str, int]]:
        """The flags of the unit's replies, most frequent first: (label, count), none at 0."""
        counts = Counter(
            {
                flag: getattr(self.summary, flag)
                for flag in ("boilerplate", "too_short", "irrelevant", "late")
            }
        )
        return [(str(FLAG_LABELS[f]), n) for f, n in counts.most_common() if n]


def units_with_low_reply_quality(
    user: Any, *, period: Period, threshold: int | None = None, min_replies: int = 3
) -> list[UnitQuality]:
    """Units whose replies (in the user's view, in `period`) score under the threshold.

    The threshold defaults to the `reply_quality_low_score` setting of the first reply's region.
    """
    scores = reply_scores(cases_visible_to(user), period)
    if not scores:
        return []
    if threshold is None:
        threshold = low_score_threshold(scores[0].region_id)
    low = []
    for unit_id, items in _by_unit(scores).items():
        summary = summarize(items)
        if summary.replies >= min_replies and (summary.mean_score or 0) < threshold:
            low.append(UnitQuality(unit_id, items[0].unit, summary))
    return sorted(low, key=lambda u: (u.summary.mean_score or 0, u.unit))


def low_score_threshold(region_code: str | None) -> int:
    """The `reply_quality_low_score` setting of a region (the national default for None)."""
    return int(setting_value(key="reply_quality_low_score", region=region_code))


def thresholds(report: MonthlyReport) -> dict[str, int]:
    """The follow-up rule thresholds of the report's region (a station: the station's region)."""
    region = report.region_id or (report.station.region_id if report.station else None)
    return {
        "topic_min": int(setting_value(key="report_topic_min_messages", region=region)),
        "rise_percent": int(setting_value(key="report_category_rise_percent", region=region)),
        "category_min": int(setting_value(key="report_category_min_cases", region=region)),
    }
