"""接待登记簿: the reception register of a station or a region for a year, through the export
kit. A station's register is built in the request; a region's runs in the task worker."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Prefetch, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.exports import Column, Table, table_xlsx
from liaison.receptions.models import (
    DayStatus,
    DutyStatus,
    JobStatus,
    ReceptionDay,
    ReceptionDuty,
    ReceptionItem,
    RegisterExport,
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


def register_export_request(*, actor: User, region: Region, year: int) -> RegisterExport:
    """Ask the worker for a region's register of a year (checked against the actor's scope)."""
    if not capability_scope(actor, Capability.VIEW_RECEPTIONS).covers_region(region.code):
        raise PermissionDenied
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("请选择正确的年度")})
    job = RegisterExport.objects.create(created_by=actor, region=region, year=year)
    run_register_export.enqueue(export_id=job.pk, ip=current_ip.get())
    job.refresh_from_db()
    return job


def register_export_run(*, export_id: int, ip: str | None = None) -> RegisterExport:
    """Build the file of one register request (in the worker); audited."""
    job = RegisterExport.objects.select_related("region").get(pk=export_id)
    if job.status == JobStatus.DONE:
        return job
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        data, count = register_xlsx(
            register_days(year=job.year, region=job.region),
            title=_("代表接待登记簿（%(region)s，%(year)d 年）")
            % {"region": job.region.name, "year": job.year},
        )
    except Exception as exc:
        job.status, job.error, job.finished_at = JobStatus.FAILED, str(exc)[:500], timezone.now()
        job.save()
        raise
    name = f"jiedai_dengjibu_{job.region_id}_{job.year}_{secrets.token_hex(8)}.xlsx"
    job.file.save(name, ContentFile(data), save=False)
    job.row_count, job.status, job.finished_at = count, JobStatus.DONE, timezone.now()
    job.save()
    audit_record(
        actor=job.created_by,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.region_id,
        note=f"接待登记簿 {job.region.name} {job.year} 年，{count} 行",
        ip=ip,
    )
    return job


@task()
def run_register_export(export_id: int, ip: str | None = None) -> None:
    register_export_run(export_id=export_id, ip=ip)
