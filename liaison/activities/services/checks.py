"""Checks of what a person typed, before anything is written: each failure is one
ValidationError with a Chinese message naming the field."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liaison.activities.models import ActivityKind, CourseKind, WorkPlanItem
from liaison.activities.rules import kind_ensure, kind_labels
from liaison.activities.selectors import eligible_deputies
from liaison.deputies.models import Deputy
from liaison.grids.models import Post
from liaison.regions.models import Level, code_bounds
from liaison.stations.models import Station

MAX_HOURS: Final = Decimal("200")
# An activity longer than this is a typing mistake (a year instead of a day).
MAX_DAYS: Final = 31


def text_clean(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}}, code="required")
    if len(text) > limit:
        raise ValidationError(
            {field: _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": limit}},
            code="max_length",
        )
    return text


def period_check(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")}, code="period")
    if ends_at - starts_at > datetime.timedelta(days=MAX_DAYS):
        raise ValidationError(
            {"ends_at": _("一次活动不能超过 %(n)d 天，请检查日期。") % {"n": MAX_DAYS}},
            code="period_long",
        )


def training_check(
    *, kind: str, hours: Decimal | None, course_kind: str
) -> tuple[Decimal | None, str]:
    """Hours and course kind for a training; none for other kinds."""
    if kind != ActivityKind.TRAINING:
        return None, ""
    if hours is None or hours <= 0 or hours > MAX_HOURS:
        raise ValidationError(
            {"hours": _("学习培训须填写学时（大于 0，不超过 %(n)s）。") % {"n": MAX_HOURS}},
            code="hours",
        )
    if course_kind not in CourseKind.values:
        raise ValidationError({"course_kind": _("请选择课程类别。")}, code="course_kind")
    return hours, course_kind


def deputies_check(station: Station, deputies: Sequence[Deputy], *, field: str) -> list[Deputy]:
    """The deputies, each in office and within the station's county; else a message naming them."""
    wanted = {d.pk: d for d in deputies}
    if not wanted:
        return []
    inside = set(eligible_deputies(station).filter(pk__in=wanted).values_list("pk", flat=True))
    outside = [d.name for pk, d in wanted.items() if pk not in inside]
    if outside:
        raise ValidationError(
            {
                field: _("以下代表不在本站所在县（区）或已不在任：%(names)s")
                % {"names": "、".join(outside)}
            },
            code="out_of_scope",
        )
    return list(wanted.values())


def post_check(station: Station, post: Post, *, kind: str) -> None:
    """The post is active, of a grid run by the station or of a grid in the station's county
    without a station; when its duty is an activity kind, the activity is of that kind."""
    grid = post.grid
    low, high = code_bounds(station.region_id, Level.COUNTY)
    same_place = grid.station_id == station.pk or (
        grid.station_id is None and low <= grid.region_id <= high
    )
    if not post.is_active or not grid.is_active or not same_place:
        raise ValidationError(
            {"post": _("网格岗位“%(name)s”不属于本站或已停用。") % {"name": post.name}},
            code="post",
        )
    labels = kind_labels(station.region_id)
    if post.duty_kind in labels and kind != post.duty_kind:
        raise ValidationError(
            {
                "kind": _("岗位“%(name)s”的工作日志应为“%(kind)s”类活动。")
                % {"name": post.name, "kind": labels[post.duty_kind]}
            },
            code="post_kind",
        )


def activity_fields_check(
    *,
    station: Station,
    kind: str,
    title: str,
    place: str,
    organiser: str,
    agenda: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    hours: Decimal | None,
    course_kind: str,
    plan_item: WorkPlanItem | None,
    post: Post | None = None,
) -> dict[str, object]:
    """The cleaned fields of a planned activity."""
    kind_ensure(kind, region=station.region_id)
    period_check(starts_at, ends_at)
    hours, course_kind = training_check(kind=kind, hours=hours, course_kind=course_kind)
    if plan_item is not None and plan_item.plan.station_id != station.pk:
        raise ValidationError({"plan_item": _("计划事项不属于本站的年度计划。")}, code="plan")
    if post is not None:
        post_check(station, post, kind=kind)
    return {
        "kind": kind,
        "title": text_clean(title, field="title", label=_("主题"), limit=100),
        "place": text_clean(place, field="place", label=_("地点"), limit=200),
        "organiser": text_clean(organiser, field="organiser", label=_("组织者"), limit=100),
        "agenda": text_clean(agenda, field="agenda", label=_("议程"), limit=5000, required=False),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "hours": hours,
        "course_kind": course_kind,
        "plan_item": plan_item,
        "post": post,
    }
