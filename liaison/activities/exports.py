"""活动台账 and 培训台账: the registers of a year for a scope, as xlsx.

The official columns are declared once (`ACTIVITY_COLUMNS`, `TRAINING_COLUMNS`) and written by the
export kit. The export job `activities.register` (`jobs.py`) builds them in the task worker; the
station-year zip (archives) calls the same builders.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.activities.models import Activity, ActivityKind, Participation, Status
from liaison.activities.rules import kind_labels
from liaison.activities.selectors import (
    ActivityFilters,
    activities_filter,
    activities_visible_to,
)
from liaison.common.exports import Column, Table, table_xlsx
from liaison.regions.models import Region
from liaison.stations.models import Station

CHUNK: Final = 2000


def _local(value: Any) -> Any:
    return timezone.localtime(value)


def _attended(activity: Activity) -> str:
    # Prefetched into `attended_rows` by `register_activities`.
    rows: list[Participation] = getattr(activity, "attended_rows", [])
    return "、".join(p.deputy.name for p in rows)


def _outcome(activity: Activity) -> str:
    parts = [
        (_("情况"), activity.findings),
        (_("解决问题"), activity.problems_solved),
        (_("形成建议"), activity.suggestions),
    ]
    return "\n".join(f"{label}：{text}" for label, text in parts if text)


def _verification(activity: Activity) -> str:
    label = str(Status(activity.status).label)
    if activity.status == Status.VERIFIED and activity.verified_at is not None:
        who = activity.verified_by.display_name if activity.verified_by else ""
        return f"{label}（{who} {_local(activity.verified_at):%Y-%m-%d}）"
    if activity.status == Status.RETURNED and activity.return_reason:
        return f"{label}：{activity.return_reason}"
    return label


def _time(activity: Activity) -> str:
    return f"{_local(activity.starts_at):%H:%M}–{_local(activity.ends_at):%H:%M}"


# (序号, activity, labels of the region's kinds)
ActivityRow = tuple[int, Activity, dict[str, str]]

ACTIVITY_COLUMNS: Final[tuple[Column[ActivityRow], ...]] = (
    Column("序号", lambda r: r[0], width=6),
    Column("日期", lambda r: _local(r[1].starts_at).date(), width=12),
    Column("时间", lambda r: _time(r[1]), width=12),
    Column("联络站", lambda r: r[1].station.name, width=24),
    Column("活动类型", lambda r: r[2].get(r[1].kind, r[1].kind), width=10),
    Column("主题", lambda r: r[1].title, width=30),
    Column("地点", lambda r: r[1].place, width=20),
    Column("组织者", lambda r: r[1].organiser, width=16),
    Column("参加代表", lambda r: _attended(r[1]), width=30),
    Column("成果", lambda r: _outcome(r[1]), width=50),
    Column("关联民意", lambda r: "、".join(c.tracking_code for c in r[1].cases.all()), width=16),
    Column("核实情况", lambda r: _verification(r[1]), width=24),
)


def register_activities(
    user: Any, *, year: int, region: Region | None = None, station: Station | None = None
) -> QuerySet[Activity]:
    """The activities of the register: visible to `user`, of `year`, not cancelled."""
    filters = ActivityFilters(year=year, region=region, station=station)
    qs = activities_filter(activities_visible_to(user), filters).exclude(status=Status.CANCELLED)
    attended = Participation.objects.filter(attended=True).select_related("deputy")
    return (
        qs.select_related("station", "verified_by")
        .prefetch_related(
            Prefetch("participations", queryset=attended.order_by("deputy__name"),
                     to_attr="attended_rows"),
            "cases",
        )
        .order_by("starts_at", "id")
    )  # fmt: skip


def activity_register_xlsx(activities: QuerySet[Activity], *, title: str) -> tuple[bytes, int]:
    """The workbook bytes of the activity register and the number of rows."""
    labels: dict[str, dict[str, str]] = {}

    def rows() -> Iterator[ActivityRow]:
        for number, activity in enumerate(activities.iterator(chunk_size=CHUNK), start=1):
            region = activity.region_id
            if region not in labels:
                labels[region] = kind_labels(region)
            yield number, activity, labels[region]

    table = Table(columns=ACTIVITY_COLUMNS, rows=rows(), title=title, sheet_name="活动台账")
    return table_xlsx(table)


# --- the training register -----------------------------------------------------------------------

# (序号, participation with its activity, the deputy's hours of the year up to this course)
TrainingRow = tuple[int, Participation, Decimal]

TRAINING_COLUMNS: Final[tuple[Column[TrainingRow], ...]] = (
    Column("序号", lambda r: r[0], width=6),
    Column("代表", lambda r: r[1].deputy.name, width=12),
    Column("课程", lambda r: r[1].activity.title, width=30),
    Column("课程类别", lambda r: str(r[1].activity.get_course_kind_display()), width=10),
    Column("学时", lambda r: r[1].activity.hours, width=8),
    Column("日期", lambda r: _local(r[1].activity.starts_at).date(), width=12),
    Column("组织单位", lambda r: r[1].activity.organiser, width=20),
    Column("年度累计学时", lambda r: r[2], width=12),
)


def register_training(
    user: Any, *, year: int, region: Region | None = None, station: Station | None = None
) -> QuerySet[Participation]:
    """Attendance at verified training of `year` in the user's view, by deputy then date."""
    activities = activities_filter(
        activities_visible_to(user), ActivityFilters(year=year, region=region, station=station)
    ).filter(status=Status.VERIFIED, kind=ActivityKind.TRAINING)
    return (
        Participation.objects.filter(attended=True, activity__in=activities.values("pk"))
        .select_related("deputy", "activity")
        .order_by("deputy__name", "deputy_id", "activity__starts_at", "activity_id")
    )


def training_register_xlsx(rows: QuerySet[Participation], *, title: str) -> tuple[bytes, int]:
    """The training register: one row per deputy and course, with the running total of hours
    of the year (年度累计学时) per deputy."""

    def numbered() -> Iterator[TrainingRow]:
        deputy, total = None, Decimal("0")
        for number, row in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
            if row.deputy_id != deputy:
                deputy, total = row.deputy_id, Decimal("0")
            total += row.activity.hours or Decimal("0")
            yield number, row, total

    table = Table(columns=TRAINING_COLUMNS, rows=numbered(), title=title, sheet_name="培训台账")
    return table_xlsx(table)
