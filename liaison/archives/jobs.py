"""The station-year zip (一册一表一簿三台账 of one station and one year) as an export job built
in the task worker (decisions 0038 and 0044): seven registers, each read as the requester."""

from __future__ import annotations

import io
import zipfile
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.archives import registers
from liaison.common.exports import export_filename
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register
from liaison.jobs.services import export_job_request
from liaison.stations.models import Station

STATION_YEAR: Final = "archives.station_year"
FIRST_YEAR: Final = 2000


def _covers(user: Any, station: Station) -> bool:
    scope = capability_scope(user, Capability.VIEW_ARCHIVES)
    return scope.covers_station(region_code=station.region_id, path=station.path)


def station_year_title(station: Station, year: int) -> str:
    return _("%(station)s %(year)d 年度台账") % {"station": station.name, "year": year}


def station_year_export_request(
    *, actor: User, station: Station | None, year: int | None
) -> ExportJob:
    """Queue the zip of a station's year. ValidationError in Chinese, and nothing queued, for a
    missing station or year, a future year, or a station outside the actor's scope."""
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
    return export_job_request(
        actor=actor,
        kind=STATION_YEAR,
        params={"station": station.pk, "year": year},
        title=station_year_title(station, year),
        region_code=station.region_id,
    )


def _station(job: ExportJob) -> Station | None:
    raw = job.params.get("station")
    return Station.objects.filter(pk=raw).first() if isinstance(raw, int) else None


def _build(job: ExportJob, progress: Progress) -> Built:
    station = _station(job)
    # Every register as the requester may see it now: a station taken from them is refused.
    if station is None or not _covers(job.created_by, station):
        raise PermissionDenied("the station is no longer the requester's")
    year = int(job.params["year"])
    scope = registers.Scope(station=station, year=year, user=job.created_by)
    parts = registers.PARTS
    rows = 0
    spool = io.BytesIO()
    # Python sets the UTF-8 flag on each entry whose name is not ASCII, so the Chinese names
    # open as written in Windows' Explorer and in unzip alike.
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (name, build) in enumerate(parts):
            progress(done * 100 // len(parts))
            data, count = build(scope)
            archive.writestr(name, data)
            rows += count
    name = export_filename(f"{station.name}_{year}年度台账", extension="zip")
    return Built(spool.getvalue(), name, rows)


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the station is still in their scope."""
    if user.pk != job.created_by_id:
        return False
    station = _station(job)
    return station is not None and _covers(user, station)


def station_year_jobs_of(user: User) -> QuerySet[ExportJob]:
    """The user's own station-year jobs, newest first (listed under the page's form)."""
    return ExportJob.objects.filter(created_by=user, kind=STATION_YEAR).order_by(
        "-created_at", "-id"
    )


def register_kinds() -> None:
    job_kind_register(
        STATION_YEAR,
        JobKind(_("联络站年度台账"), _build, downloadable, back="archives:station_year"),
    )
