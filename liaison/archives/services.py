"""The station-year zip: asked for in a request, built in the task worker, served to its
requester while the station is still theirs, deleted after `EXPORT_RETENTION_HOURS`."""

from __future__ import annotations

import datetime
import secrets
import tempfile
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.archives.models import JobStatus, StationYearExport
from liaison.archives.registers import PARTS, Scope
from liaison.audit.context import current_ip
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.stations.models import Station

FIRST_YEAR = 2000


def _covers(user: Any, station: Station) -> bool:
    scope = capability_scope(user, Capability.VIEW_ARCHIVES)
    return scope.covers_station(region_code=station.region_id, path=station.path)


def station_year_export_request(
    *, actor: User, station: Station | None, year: int | None
) -> StationYearExport:
    """Record the request and hand it to the worker. ValidationError in Chinese, and nothing
    recorded, for a missing station or year, a future year, or a station outside the actor's
    scope."""
    this_year = timezone.localdate().year
    errors: dict[str, str] = {}
    if station is None:
        errors["station"] = _("请选择联络站。")
    elif not _covers(actor, station):
        errors["station"] = _("该联络站不在您的辖区，不能导出它的台账。")
    if year is None or not FIRST_YEAR <= year <= this_year:
        errors["year"] = _("请选择 %(a)d 年至 %(b)d 年之间的年度。") % {
            "a": FIRST_YEAR,
            "b": this_year,
        }
    if errors:
        raise ValidationError(errors, code="invalid")
    assert station is not None and year is not None  # checked above
    job = StationYearExport.objects.create(
        station=station, year=year, created_by=actor, parts_total=len(PARTS)
    )
    run_station_year_export.enqueue(export_id=job.pk, ip=current_ip.get())
    job.refresh_from_db()
    return job


def _progress(job: StationYearExport, *, done: int, current: str) -> None:
    # A plain UPDATE: the page polling the job sees it at once, the row lock is not held.
    StationYearExport.objects.filter(pk=job.pk).update(parts_done=done, current_part=current)


def station_year_export_run(*, export_id: int, ip: str | None = None) -> StationYearExport:
    """Write every register of the station and year into one zip (in the worker); audited."""
    job = StationYearExport.objects.select_related("station", "created_by").get(pk=export_id)
    if job.status == JobStatus.DONE:
        return job
    StationYearExport.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, parts_total=len(PARTS), parts_done=0
    )
    scope = Scope(station=job.station, year=job.year, user=job.created_by)
    rows: list[str] = []
    try:
        with tempfile.TemporaryFile() as spool:
            # Python sets the UTF-8 flag on each entry whose name is not ASCII, so the Chinese
            # names open as written in Windows' Explorer and in unzip alike.
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, (name, build) in enumerate(PARTS):
                    _progress(job, done=done, current=name)
                    data, count = build(scope)
                    archive.writestr(name, data)
                    rows.append(f"{name.split('_', 1)[1].removesuffix('.xlsx')} {count} 行")
            spool.seek(0)
            stored = f"station_year_{job.station_id}_{job.year}_{secrets.token_hex(8)}.zip"
            job.file.save(stored, File(spool), save=False)
            job.size = job.file.size
    except Exception as exc:
        StationYearExport.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    job.status, job.finished_at = JobStatus.DONE, timezone.now()
    job.parts_done, job.current_part, job.parts_total = len(PARTS), "", len(PARTS)
    job.save()
    audit_record(
        actor=job.created_by,
        action=AuditAction.EXPORT,
        obj=job,
        region_code=job.station.region_id,
        note=f"年度台账 {job.station.name} {job.year} 年：" + "，".join(rows),
        ip=ip,
    )
    return job


@task()
def run_station_year_export(export_id: int, ip: str | None = None) -> None:
    station_year_export_run(export_id=export_id, ip=ip)


# --- access and expiry ---------------------------------------------------------------------------


def export_expires_at(job: StationYearExport) -> datetime.datetime | None:
    if job.finished_at is None or job.status != JobStatus.DONE:
        return None
    return job.finished_at + datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)


def export_is_expired(job: StationYearExport, *, now: datetime.datetime | None = None) -> bool:
    expires_at = export_expires_at(job)
    if expires_at is None:
        return False
    return not job.file or (now or timezone.now()) >= expires_at


def export_downloadable_by(job: StationYearExport, user: Any) -> bool:
    """The requester, while the station is still in their scope and the file not expired."""
    if job.created_by_id != getattr(user, "pk", None) or job.status != JobStatus.DONE:
        return False
    return _covers(user, job.station) and not export_is_expired(job)


def station_year_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the zips past `EXPORT_RETENTION_HOURS` (the rows stay: who exported what); one
    audit row; how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    expired = StationYearExport.objects.filter(
        status=JobStatus.DONE, finished_at__lte=cutoff
    ).exclude(file="")
    count = 0
    for job in expired.iterator():
        job.file.delete(save=False)
        StationYearExport.objects.filter(pk=job.pk).update(file="")
        count += 1
    if count:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="archives.stationyearexport",
            note=f"删除超过保存期限的年度台账文件：{count} 个",
        )
    return count


@task()
def expire_station_year_exports_task() -> None:
    station_year_exports_expire()
