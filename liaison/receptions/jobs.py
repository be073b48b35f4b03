"""A region's reception register (接待登记簿) of a year as an export job built in the task
worker (decision 0044): a county's year holds thousands of reception days. A station's register
stays a download in the request (views_reports.register)."""

from __future__ import annotations

from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.common.exports import export_filename
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register
from liaison.jobs.services import export_job_request
from liaison.receptions import exports
from liaison.regions.models import Region
from liaison.stations.selectors import region_by_code

REGISTER: Final = "receptions.register"
FIRST_YEAR: Final = 2000


def register_title(region: Region, year: int) -> str:
    return _("代表接待登记簿（%(region)s，%(year)d 年）") % {"region": region.name, "year": year}


def _covers(user: Any, region_code: str) -> bool:
    return capability_scope(user, Capability.VIEW_RECEPTIONS).covers_region(region_code)


def register_export_request(*, actor: User, region: Region, year: int) -> ExportJob:
    """Queue a region's register of a year. ValidationError in Chinese, and nothing queued, for
    a year out of range or a region outside the actor's scope."""
    if not _covers(actor, region.code):
        raise ValidationError({"region": _("所选区划不在您的管辖范围内，不能导出它的登记簿。")})
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("请选择正确的年度")})
    return export_job_request(
        actor=actor,
        kind=REGISTER,
        params={"region": region.code, "year": year},
        title=register_title(region, year),
        region_code=region.code,
    )


def _build(job: ExportJob, progress: Progress) -> Built:
    region = region_by_code(str(job.params.get("region", "")))
    # The rows as the requester may see them now: a region taken from them since is refused.
    if region is None or not _covers(job.created_by, region.code):
        raise PermissionDenied("the register's region is no longer the requester's")
    year = int(job.params["year"])
    days: QuerySet[Any] = exports.register_days(year=year, region=region)
    progress(10)
    content, count = exports.register_xlsx(days, title=register_title(region, year))
    name = export_filename(f"接待登记簿_{region.name}_{year}", extension="xlsx")
    return Built(content, name, count)


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the region is still in their view."""
    return user.pk == job.created_by_id and _covers(user, str(job.params.get("region", "")))


def register_jobs_of(user: User) -> QuerySet[ExportJob]:
    """The user's own register jobs, newest first (listed under the register's form)."""
    return ExportJob.objects.filter(created_by=user, kind=REGISTER).order_by("-created_at", "-id")


def register_kinds() -> None:
    job_kind_register(
        REGISTER, JobKind(_("接待登记簿"), _build, downloadable, back="receptions:register")
    )
