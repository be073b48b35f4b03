"""接待登记簿: the reception register of a station or a region for a year, through the export
kit. A station's register is built in the request; a region's is an export job (`jobs.py`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.common.exports import Column, Table, table_xlsx
from liaison.receptions.models import (
    DayStatus,
    DutyStatus,
    ReceptionDay,
    ReceptionDuty,
    ReceptionItem,
)
from liaison.regions.models import Region
from liaison.regions.selectors import region_subtree_q

CHUNK: Final = 1000


@dataclass(frozen=True)
class RegisterRow:
    day: ReceptionDay
    deputies: str
    present: str
    visitors: int | None
    items: str
    outcomes: str
    minutes: str


def _time(day: ReceptionDay) -> str:
    start, end = timezone.localtime(day.starts_at), timezone.localtime(day.ends_at)
    return f"{start:%H:%M}-{end:%H:%M}"


REGISTER_COLUMNS: Final[tuple[Column[RegisterRow], ...]] = (
    Column("日期", lambda r: r.day.date, width=12),
    Column("时间", lambda r: _time(r.day), width=12),
    Column("联络站", lambda r: r.day.station.name, width=28),
    Column("接待地点", lambda r: r.day.place, width=24),
    Column("接待代表", lambda r: r.deputies, width=24),
    Column("到场代表", lambda r: r.present, width=24),
    Column("来访人数", lambda r: r.visitors, width=10),
    Column("反映事项", lambda r: r.items, width=48),
    Column("办理情况", lambda r: r.outcomes, width=36),
    Column("接待纪要", lambda r: r.minutes, width=40),
)


def register_days(
    *, year: int, region: Region | None = None, station_id: int | None = None
) -> QuerySet[ReceptionDay]:
    """The days a register lists: of the year, up to today, not cancelled."""
    last = min(datetime.date(year, 12, 31), timezone.localdate())
    days = ReceptionDay.objects.filter(date__gte=datetime.date(year, 1, 1), date__lte=last).exclude(
        status=DayStatus.CANCELLED
    )
    if station_id is not None:
        days = days.filter(station_id=station_id)
    if region is not None:
        days = days.filter(region_subtree_q(region, field="region_id"))
    return days.order_by("date", "starts_at", "id")


def _rows(days: QuerySet[ReceptionDay]) -> Iterator[RegisterRow]:
    """Rows in chunks: each chunk loads its duties, records and items in three more queries."""
    duties = ReceptionDuty.objects.filter(status=DutyStatus.ON_DUTY).select_related("deputy")
    items = ReceptionItem.objects.select_related("case").order_by("number")
    ids = list(days.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = (
            ReceptionDay.objects.filter(pk__in=ids[start : start + CHUNK])
            .select_related("station", "record")
            .prefetch_related(
                Prefetch("duties", queryset=duties, to_attr="rota"),
                Prefetch("record__items", queryset=items, to_attr="listed"),
            )
            .order_by("date", "starts_at", "id")
        )
        for day in chunk:
            record = getattr(day, "record", None)
            listed: list[ReceptionItem] = getattr(record, "listed", []) if record else []
            rota: list[ReceptionDuty] = day.rota
            yield RegisterRow(
                day=day,
                deputies="、".join(d.deputy.name for d in rota),
                present="、".join(d.deputy.name for d in rota if d.present),
                visitors=record.visitor_count if record else None,
                items="\n".join(f"{i.number}. {i.case.title}" for i in listed)
                or ("" if record else _("（未填写接待记录）")),
                outcomes="\n".join(
                    f"{i.number}. {i.case.get_status_display()}（{i.case.tracking_code}）"
                    for i in listed
                ),
                minutes=record.minutes if record else "",
            )


def register_xlsx(
    days: QuerySet[ReceptionDay], *, title: str, subtitle: str = ""
) -> tuple[bytes, int]:
    table = Table(
        columns=REGISTER_COLUMNS,
        rows=_rows(days),
        title=title,
        subtitle=subtitle,
        sheet_name="接待登记簿",
    )
    return table_xlsx(table)
