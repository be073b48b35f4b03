"""Staff pages: attendance below the yearly minimum, and the reception register (接待登记簿)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.exports import Column, Table, export_filename, export_response, table_xlsx
from liaison.common.paging import paginate
from liaison.deputies.models import Deputy
from liaison.jurisdiction.selectors import setting_value
from liaison.receptions import exports, jobs, selectors
from liaison.receptions.forms import RegisterExportForm
from liaison.receptions.place_settings import MIN_PER_YEAR
from liaison.regions.models import Region
from liaison.stations.selectors import region_by_code

view_required = staff_required(Capability.VIEW_RECEPTIONS)

GAP_COLUMNS: tuple[Column[Deputy], ...] = (
    Column("代表", lambda d: d.name, width=14),
    Column("代表码", lambda d: d.code, width=12),
    Column("所属区划", lambda d: d.home_region.name if d.home_region else "", width=20),
    Column("本年参加接待日次数", lambda d: d.attended, width=18),  # type: ignore[attr-defined]
)


def _year(request: AuthedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year else this_year


def _region(request: AuthedHttpRequest) -> Region | None:
    """The region asked for (inside the scope), or the user's first scope region."""
    scope = capability_scope(request.user, Capability.VIEW_RECEPTIONS)
    raw = request.GET.get("region", "").strip()
    if raw:
        region = region_by_code(raw)
        if region is None or not scope.covers_region(region.code):
            raise PermissionDenied
        return region
    return scope.regions[0] if scope.regions else None


@view_required
@require_GET
def attendance_gaps(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request)
    raw_station = request.GET.get("station", "")
    station = None
    if raw_station.isdigit():
        station = (
            selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS)
            .filter(pk=int(raw_station))
            .first()
        )
        if station is None:
            raise PermissionDenied
    region = None if station is not None else _region(request)
    if station is None and region is None:
        # A station member: their stations' deputies, the first station by default.
        station = selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS).first()
    where = station.region_id if station is not None else (region.code if region else None)
    minimum = int(setting_value(key=MIN_PER_YEAR, region=where))
    deputies = selectors.attendance_gaps(
        request.user, year=year, minimum=minimum, region=region, station=station
    )
    if request.GET.get("format") == "xlsx":
        scope_name = station.name if station is not None else (region.name if region else "")
        data, count = table_xlsx(
            Table(
                columns=GAP_COLUMNS,
                rows=deputies.iterator(),
                title=_("%(year)d 年参加接待日不足 %(n)d 次的代表") % {"year": year, "n": minimum},
                subtitle=scope_name,
                sheet_name="接待缺勤",
            )
        )
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="receptions.attendance",
            region_code=where or "",
            note=f"接待缺勤名单 {scope_name} {year} 年，{count} 行",
        )
        return export_response(data, filename=export_filename("接待缺勤名单", extension="xlsx"))
    context = paginate(request, deputies)
    context.update(
        {
            "year": year,
            "minimum": minimum,
            "station": station,
            "region": region,
            "stations": selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS)[:2000],
        }
    )
    return render(request, "staff/receptions/attendance.html", context)


def _register_now(request: AuthedHttpRequest, station_pk: int, year: int) -> HttpResponse:
    """A station's register is small: built in the request and downloaded at once; audited."""
    station = (
        selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS)
        .filter(pk=station_pk)
        .first()
    )
    if station is None:
        raise PermissionDenied
    data, count = exports.register_xlsx(
        exports.register_days(year=year, station_id=station.pk),
        title=_("代表接待登记簿（%(s)s，%(y)d 年）") % {"s": station.name, "y": year},
    )
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=station,
        note=f"接待登记簿 {station.name} {year} 年，{count} 行",
    )
    name = export_filename(f"接待登记簿_{station.name}", extension="xlsx")
    return export_response(data, filename=name)


def _register_errors(request: AuthedHttpRequest, messages_: list[str]) -> HttpResponse:
    for message in messages_:
        messages.error(request, message)
    return redirect("receptions:register")


@view_required
@require_http_methods(["GET", "POST"])
def register(request: AuthedHttpRequest) -> HttpResponse:
    """A station's register downloads at once; a region's is queued as an export job, whose
    page says when it is ready. Bad input comes back as messages and nothing is queued."""
    if request.method == "POST":
        form = RegisterExportForm(request.POST)
        if not form.is_valid():
            return _register_errors(request, [str(m) for e in form.errors.values() for m in e])
        year, station_pk = form.cleaned_data["year"], form.cleaned_data["station"]
        if station_pk:
            return _register_now(request, station_pk, year)
        region = region_by_code(form.cleaned_data["region"])
        if region is None:
            return _register_errors(request, [_("请选择联络站或区划")])
        try:
            job = jobs.register_export_request(actor=request.user, region=region, year=year)
        except ValidationError as error:
            return _register_errors(request, list(error.messages))
        return redirect("jobs:detail", pk=job.pk)
    year = _year(request)
    scope = capability_scope(request.user, Capability.VIEW_RECEPTIONS)
    context = {
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "regions": list(scope.regions),
        "stations": selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS)[:2000],
        "jobs": jobs.register_jobs_of(request.user)[:20],
    }
    return render(request, "staff/receptions/register.html", context)
