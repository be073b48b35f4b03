"""Reply quality on the platform: its settings, the flags in Chinese, and the working calendar.

The engine (`liaison.nlp.reply_quality`) imports no Django, so what depends on the place stays
here and is handed to it as plain values: the `reply_late_working_days` setting as `late_after`,
and the working days of each reply counted with the region's calendar (`reply_working_days`).
`assess_with_calendar` is the engine with both filled in; stored scores are `reply_scores.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Final

from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction.calendar import WorkingCalendar
from liaison.jurisdiction.registry import SettingDef, register
from liaison.nlp.reply_quality import (
    DEFAULT_LATE_AFTER,
    FLAG_BOILERPLATE,
    FLAG_IRRELEVANT,
    FLAG_LATE,
    FLAG_TOO_SHORT,
    LOW_SCORE_DEFAULT,
    ReplyAssessment,
    ReplyItem,
    ReplyReference,
    assess_replies,
)

FLAG_LABELS: Final = {
    FLAG_BOILERPLATE: _("套话答复"),
    FLAG_TOO_SHORT: _("答复过短"),
    FLAG_IRRELEVANT: _("答非所问"),
    FLAG_LATE: _("答复超期"),
}

for _definition in (
    SettingDef(
        key="reply_late_working_days",
        label=_("答复质量：超期天数"),
        type="int",
        default=DEFAULT_LATE_AFTER,
        min_value=1,
        max_value=120,
        unit=_("个工作日"),
        group=_("研判分析"),
        help=_("没有答复期限的答复，自提交（或交办）起超过此工作日数即标为“答复超期”。"),
    ),
    SettingDef(
        key="reply_quality_low_score",
        label=_("答复质量：提示分数线"),
        type="int",
        default=LOW_SCORE_DEFAULT,
        min_value=1,
        max_value=100,
        group=_("研判分析"),
        help=_(
            "承办单位答复质量平均分低于此分数时，在督办总览中提示（仅供参考，不自动形成督办建议）。"
        ),
    ),
):
    register(_definition)


class _Statutory(WorkingCalendar):
    """The national statutory calendar only: no database (files and offline checks)."""

    def _load(self, low: datetime.date, high: datetime.date) -> None:
        return None


def reply_working_days(items: Sequence[ReplyItem], *, overrides: bool) -> list[int | None]:
    """Working days submitted → replied per item, one calendar per region for the batch.

    `overrides=False` counts with the national statutory calendar only, without the database.
    """
    calendars: dict[str | None, WorkingCalendar] = {}
    result: list[int | None] = []
    for item in items:
        if item.submitted_at is None or item.replied_at is None:
            result.append(None)
            continue
        calendar = calendars.get(item.region_code)
        if calendar is None:
            calendar = (WorkingCalendar if overrides else _Statutory)(item.region_code)
            calendars[item.region_code] = calendar
        result.append(calendar.working_days_between(item.submitted_at, item.replied_at))
    return result


def assess_with_calendar(
    items: Sequence[ReplyItem],
    *,
    late_after: int = DEFAULT_LATE_AFTER,
    calendar_overrides: bool = True,
    reference: ReplyReference | None = None,
) -> list[ReplyAssessment]:
    """The engine's `assess_replies` with the working days counted by the regions' calendars."""
    if not items:
        return []
    return assess_replies(
        items,
        late_after=late_after,
        working_days=reply_working_days(items, overrides=calendar_overrides),
        reference=reference,
    )
