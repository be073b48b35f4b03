"""Staff pages: the deputies' files (page, Word, PDF) and the form that queues the station-year
zip of registers (an export job: its page and download are the jobs app's)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.archives import jobs, selectors
from liaison.archives.documents import deputy_file_document
from liaison.archives.sections import deputy_file_sections
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.exports import (
    Document,
    document_docx,
    document_pdf,
    export_filename,
    export_response,
)
from liaison.common.paging import paginate
from liaison.stations.models import Station

staff_view = staff_required(Capability.VIEW_ARCHIVES)
YEARS_SHOWN = 6


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_SHOWN, -1))


def _year(request: AuthedHttpRequest) -> int | None:
    """The year asked for (this year when none); None for a bad one, said in Chinese."""
    raw = request.GET.get("year", "").strip()
    this_year = timezone.localdate().year
    if not raw:
        return this_year
    if raw.isdigit() and jobs.FIRST_YEAR <= int(raw) <= this_year:
        return int(raw)
    messages.error(
        request,
        _("年度“%(raw)s”不正确，请选择 %(a)d 年至 %(b)d 年之间的年度；下面显示的是今年。")
        % {"raw": raw[:10], "a": jobs.FIRST_YEAR, "b": this_year},
    )
    return None


def _file_reader(request: AuthedHttpRequest) -> None:
    if not has_capability(request.user, Capability.VIEW_ARCHIVES, Capability.SEE_OWN_ARCHIVE):
        raise PermissionDenied


@staff_view
@require_GET
def index(request: AuthedHttpRequest) -> HttpResponse:
    """The deputies whose file the user may open, by name, paginated."""
    name = request.GET.get("name", "").strip()[:50]
    deputies = selectors.deputies_filed_for(request.user).select_related("home_region")
    if name:
        deputies = deputies.filter(name__contains=name)
    context = paginate(request, deputies.order_by("name", "id"))
    context["name"] = name
    return render(request, "staff/archives/index.html", context)


@staff_required()
@require_GET
def mine(request: AuthedHttpRequest) -> HttpResponse:
    _file_reader(request)
    deputy = selectors.own_deputy(request.user)
    if deputy is None:
        raise Http404("no deputy record for this account")
    return redirect("archives:file", pk=deputy.pk)


@staff_required()
@require_GET
def deputy_file(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    _file_reader(request)
    deputy = selectors.deputy_file_get(request.user, pk)
    year = _year(request) or timezone.localdate().year
    context = {
        "deputy": deputy,
        "year": year,
        "years": _years(),
        "sections": deputy_file_sections(deputy, year=year),
        "is_own": deputy.user_id == request.user.pk,
    }
    return render(request, "staff/archives/file.html", context)


def _file_download(
    request: AuthedHttpRequest, pk: int, extension: str, render_file: Callable[[Document], bytes]
) -> HttpResponse:
    _file_reader(request)
    deputy = selectors.deputy_file_get(request.user, pk)
    year = _year(request)
    if year is None:
        # No file of a year nobody asked for: back to the page, which shows the message.
        return redirect("archives:file", pk=deputy.pk)
    document = deputy_file_document(
        deputy, year=year, sections=deputy_file_sections(deputy, year=year)
    )
    data = render_file(document)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=deputy,
        region_code=deputy.home_region_id or "",
        note=f"代表履职档案 {deputy.name} {year} 年（{extension}）",
    )
    name = export_filename(f"{deputy.name}代表履职档案_{year}年", extension=extension)
    return export_response(data, filename=name)


@staff_required()
@require_GET
def deputy_file_docx(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _file_download(request, pk, "docx", document_docx)


@staff_required()
@require_GET
def deputy_file_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _file_download(request, pk, "pdf", document_pdf)


# --- the station-year zip ------------------------------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
def station_year(request: AuthedHttpRequest) -> HttpResponse:
    """The form that queues a station's year of registers (a POST), above the user's own jobs;
    bad input is answered here in Chinese with status 400 and nothing queued."""
    stations = selectors.stations_filed_for(request.user)
    chosen = {"station": request.POST.get("station", ""), "year": request.POST.get("year", "")}
    errors: list[str] = []
    if request.method == "POST":
        raw_station, raw_year = chosen["station"].strip(), chosen["year"].strip()
        # Any station may be named here: the request says in Chinese if it is not the user's.
        station = None
        if raw_station.isdigit() and len(raw_station) <= 18:
            station = Station.objects.filter(pk=int(raw_station)).first()
        year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None
        try:
            job = jobs.station_year_export_request(actor=request.user, station=station, year=year)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("已提交，台账在后台生成，本页显示进度。"))
            return redirect("jobs:detail", pk=job.pk)
    context = paginate(request, jobs.station_year_jobs_of(request.user))
    context.update(
        {
            "stations": stations[:2000],
            "years": _years(),
            "chosen": chosen,
            "errors": errors,
        }
    )
    return render(
        request, "staff/archives/station_year.html", context, status=400 if errors else 200
    )
