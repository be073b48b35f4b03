"""The activity and training registers (活动台账, 培训台账) of a year as an export job built in the
task worker (decision 0044): a county's year holds thousands of activities.

One kind for both registers, the register a validated parameter (as the points bulletin's
format is): they share the page that starts them, the scope, the year and who may fetch them;
only the rows and the title differ.
"""

from __future__ import annotations

from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import User
from liaison.accounts.scoping import Scope
from liaison.activities import exports
from liaison.common.exports import export_filename
from liaison.jobs.models import ExportJob
from liaison.jobs.registry import Built, JobKind, Progress, job_kind_register
from liaison.jobs.services import export_job_request
from liaison.regions.models import Region
from liaison.stations.models import Station
from liaison.stations.selectors import region_by_code

REGISTER: Final = "activities.register"
ACTIVITIES: Final = "activities"
TRAINING: Final = "training"
# The registers by their parameter, with the name the title and the file carry.
REGISTERS: Final = {ACTIVITIES: gettext_lazy("活动台账"), TRAINING: gettext_lazy("培训台账")}
FIRST_YEAR: Final = 2000


def _scope(user: Any) -> Scope:
    return capability_scope(user, Capability.VIEW_ACTIVITIES)


def register_title(register: str, scope_name: str, year: int) -> str:
    return _("%(name)s（%(scope)s，%(year)s 年）") % {
        "name": REGISTERS[register],
        "scope": scope_name,
        "year": year,
    }


def register_export_request(
    *,
    actor: User,
    register: str,
    year: int,
    region: Region | None = None,
    station: Station | None = None,
) -> ExportJob:
    """Queue a register of a year for a station, a region or (neither) the actor's whole scope.
    ValidationError in Chinese, and nothing queued, for a register, year or place that is not
    right; PermissionDenied for an actor without a scope."""
    if register not in REGISTERS:
        raise ValidationError({"register": _("请选择台账。")}, code="register")
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("年度不正确。")}, code="year")
    scope = _scope(actor)
    if scope.is_empty:
        raise PermissionDenied
    params: dict[str, Any] = {"register": register, "year": year, "station": None, "region": None}
    if station is not None:
        if not scope.covers_station(region_code=station.region_id, path=station.path):
            raise ValidationError({"station": _("该联络站不在您的辖区。")}, code="out_of_scope")
        params["station"], place, code = station.pk, station.name, station.region_id
    elif region is not None:
        if not scope.covers_region(region.code):
            raise ValidationError({"region": _("该区划不在您的辖区。")}, code="out_of_scope")
        params["region"], place, code = region.code, region.name, region.code
    else:
        # The whole scope as it is now, so that a scope taken away later is noticed.
        params["within"] = {
            "regions": [r.code for r in scope.regions],
            "stations": list(scope.station_paths),
        }
        place, code = _("全部辖区"), ""
    return export_job_request(
        actor=actor,
        kind=REGISTER,
        params=params,
        title=register_title(register, place, year),
        region_code=code,
    )


def _place(user: Any, params: dict[str, Any]) -> tuple[Region | None, Station | None] | None:
    """The region or station the job names, while it is still in `user`'s view; None when it
    is not (or no longer exists). (None, None): the whole scope, still all theirs."""
    scope = _scope(user)
    if scope.is_empty:
        return None
    if params.get("station") is not None:
        station = Station.objects.filter(pk=params["station"]).first()
        held = station is not None and scope.covers_station(
            region_code=station.region_id, path=station.path
        )
        return (None, station) if held else None
    if params.get("region") is not None:
        region = region_by_code(str(params["region"]))
        return (region, None) if region is not None and scope.covers_region(region.code) else None
    within = params.get("within")
    if not isinstance(within, dict):
        return None
    regions_held = all(scope.covers_region(code) for code in within.get("regions", []))
    # A station scope is held through a station membership at it or above it; a region that
    # came to cover it instead is refused too (the path alone does not say its region).
    stations_held = all(
        any(path.startswith(held) for held in scope.station_paths)
        for path in within.get("stations", [])
    )
    return (None, None) if regions_held and stations_held else None


def _build(job: ExportJob, progress: Progress) -> Built:
    params = job.params
    register, year = str(params.get("register", "")), int(params["year"])
    if register not in REGISTERS:
        raise ValueError(f"unknown register {register!r}")
    # The rows as the requester may see them now: a place taken from them since is refused.
    place = _place(job.created_by, params)
    if place is None:
        raise PermissionDenied("the register's scope is no longer the requester's")
    region, station = place
    user, title = job.created_by, job.title
    progress(10)
    if register == TRAINING:
        rows = exports.register_training(user, year=year, region=region, station=station)
        content, count = exports.training_register_xlsx(rows, title=title)
    else:
        activities = exports.register_activities(user, year=year, region=region, station=station)
        content, count = exports.activity_register_xlsx(activities, title=title)
    name = export_filename(f"{REGISTERS[register]}_{year}", extension="xlsx")
    return Built(content, name, count)


def downloadable(job: ExportJob, user: Any) -> bool:
    """The requester, while the register's station, region or whole scope is still theirs."""
    return user.pk == job.created_by_id and _place(user, job.params) is not None


def register_jobs_of(user: User) -> QuerySet[ExportJob]:
    """The user's own register jobs, newest first (listed under the page's form)."""
    return ExportJob.objects.filter(created_by=user, kind=REGISTER).order_by("-created_at", "-id")


def register_kinds() -> None:
    job_kind_register(
        REGISTER, JobKind(_("活动/培训台账"), _build, downloadable, back="activities:registers")
    )
