"""Staff and deputy pages of duty reports: list, schedule, a report (record, publish, cancel,
the sign-in sheet, photos), the term rule's list and a deputy's own reports.

Each view: check access → one selector or service → render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.common.downloads import file_response
from liaison.common.exports import export_filename, export_response
from liaison.common.fonts import CJKFontMissing
from liaison.common.masking import mask_name, mask_phone, mask_text
from liaison.common.paging import paginate
from liaison.common.qr import public_url, qr_svg
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputies_visible_to
from liaison.dutyreports import exports, selectors, services
from liaison.dutyreports.actions import TABLE
from liaison.dutyreports.forms import FilterForm, HoldForm, ScheduleForm
from liaison.dutyreports.models import DutyReport, DutyReportPhoto, RatingCode, Verdict
from liaison.dutyreports.permissions import deputy_id_of, report_actors
from liaison.dutyreports.services.flow import facts_of
from liaison.stations.forms import apply_service_errors
from liaison.stations.models import Station
from liaison.workflow.table import TransitionNotAllowed

view_required = staff_required(Capability.VIEW_DUTY_REPORTS)
any_staff = staff_required()


def _people_only(request: AuthedHttpRequest) -> None:
    """Staff who see duty reports and deputies who give them; administrators get 403."""
    if not has_capability(request.user, Capability.VIEW_DUTY_REPORTS, Capability.GIVE_DUTY_REPORTS):
        raise PermissionDenied


def _report(request: AuthedHttpRequest, pk: int) -> DutyReport:
    _people_only(request)
    return selectors.report_get_for_user(request.user, pk)


SERVICE_ERRORS = (services.DutyReportConflict, TransitionNotAllowed, ValidationError)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    if isinstance(error, TransitionNotAllowed):
        return _("该述职当前状态不能进行此操作，请刷新页面后再试。")
    return str(error)


def _version(request: AuthedHttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _rating_url(request: AuthedHttpRequest, report: DutyReport) -> str:
    return public_url(reverse("dutyreports_h5:rate", args=[report.token]), request)


@view_required
@require_GET
def report_list(request: AuthedHttpRequest) -> HttpResponse:
    stations = selectors.stations_for(request.user, Capability.VIEW_DUTY_REPORTS)
    form = FilterForm(request.GET or None, stations=stations)
    data = form.cleaned_data if form.is_valid() else {}
    reports = selectors.report_list(
        request.user, station=data.get("station"), status=data.get("status", "")
    )
    context = paginate(request, reports)
    context["form"] = form
    return render(request, "staff/dutyreports/list.html", context)


@any_staff
@require_GET
def my_reports(request: AuthedHttpRequest) -> HttpResponse:
    """A deputy's own reports with their ratings."""
    deputy_id = deputy_id_of(request.user)
    if deputy_id is None or not has_capability(request.user, Capability.GIVE_DUTY_REPORTS):
        raise PermissionDenied
    reports = selectors.with_counts(DutyReport.objects.filter(deputy_id=deputy_id))
    context = paginate(request, reports.select_related("station").order_by("-starts_at", "-id"))
    return render(request, "staff/dutyreports/mine.html", context)


def _schedule_choices(request: AuthedHttpRequest) -> tuple:  # type: ignore[type-arg]
    stations = selectors.stations_for(request.user, Capability.SCHEDULE_DUTY_REPORTS)
    deputies = selectors.deputies_at(stations)
    deputy_id = deputy_id_of(request.user)
    if deputy_id is not None and has_capability(request.user, Capability.GIVE_DUTY_REPORTS):
        # A deputy schedules their own report at a station they are assigned to.
        own = Deputy.objects.filter(pk=deputy_id)
        own_stations = Station.objects.filter(
            deputy_assignments__deputy_id=deputy_id, deputy_assignments__ends_on__isnull=True
        )
        stations = (stations | own_stations).distinct()
        deputies = (deputies | own).distinct()
    return stations.order_by("name"), deputies.order_by("name")


@any_staff
@require_http_methods(["GET", "POST"])
def report_schedule(request: AuthedHttpRequest) -> HttpResponse:
    _people_only(request)
    stations, deputies = _schedule_choices(request)
    if not stations.exists():
        raise PermissionDenied
    form = ScheduleForm(request.POST or None, stations=stations, deputies=deputies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.duty_report_schedule(actor=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已安排代表述职。请打印签到表，会上发给到会群众。"))
            return redirect("dutyreports:detail", pk=report.pk)
    return render(request, "staff/dutyreports/form.html", {"form": form})


def _detail(
    request: AuthedHttpRequest, report: DutyReport, hold_form: HoldForm | None = None
) -> HttpResponse:
    actors = report_actors(request.user, report)
    counts = selectors.rating_counts(report)
    ratings = report.ratings.exclude(comment="").order_by("-at")[:50]
    url = _rating_url(request, report)
    context = {
        "report": report,
        "available": TABLE.available(actors, facts_of(report)),
        "counts": [(label, counts[value]) for value, label in Verdict.choices],
        "total": sum(counts.values()),
        "comments": [mask_text(r.comment) for r in ratings],
        "invited": [(mask_name(p.name), mask_phone(p.phone)) for p in report.invited.all()],
        "photos": list(report.photos.all()),
        "codes_used": RatingCode.objects.filter(report=report, used_at__isnull=False).count(),
        "codes_total": report.codes.count(),
        "rating_url": url,
        "qr": qr_svg(url),
        "rating_open": report.rating_open(timezone.now()),
        "hold_form": hold_form or HoldForm(initial={"version": report.version}),
        "events": list(report.events.select_related("actor").order_by("at", "id")),
    }
    return render(request, "staff/dutyreports/detail.html", context)


@any_staff
@require_GET
def report_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return _detail(request, report)


@any_staff
@require_POST
def report_hold(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Record the meeting; a refusal shows the page again with what was typed."""
    report = _report(request, pk)
    form = HoldForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.duty_report_hold(
                report=report,
                actor=request.user,
                expected_version=data["version"],
                text=data["text"],
                attendance=data["attendance"],
                photos=data["photos"],
            )
        except (services.DutyReportConflict, TransitionNotAllowed) as error:
            form.add_error(None, _error_text(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已登记述职情况。"))
            return redirect("dutyreports:detail", pk=report.pk)
    return _detail(request, report, hold_form=form)


@any_staff
@require_POST
def report_act(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish or cancel (the two moves without a form of their own)."""
    report = _report(request, pk)
    try:
        if action == "publish":
            services.duty_report_publish(
                report=report, actor=request.user, expected_version=_version(request)
            )
            messages.success(request, _("述职已在代表的公开页面公开。"))
        elif action == "cancel":
            services.duty_report_cancel(
                report=report,
                actor=request.user,
                expected_version=_version(request),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("已取消本场述职。"))
        else:
            raise PermissionDenied
    except SERVICE_ERRORS as error:
        messages.error(request, _error_text(error))
    return redirect("dutyreports:detail", pk=report.pk)


@any_staff
@require_GET
def report_sheet(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The sign-in sheet with the one-time codes (printing it is recorded and audited)."""
    report = _report(request, pk)
    if "sheet" not in TABLE.available(report_actors(request.user, report), facts_of(report)):
        raise PermissionDenied
    numbers = report.codes.order_by("number").values_list("number", flat=True)
    try:
        content = exports.sheet_pdf(
            report=report, numbers=list(numbers), url=_rating_url(request, report)
        )
    except CJKFontMissing as error:
        return render(
            request, "staff/stations/font_missing.html", {"message": str(error)}, status=503
        )
    services.duty_report_sheet_printed(report=report, actor=request.user)
    return export_response(content, filename=export_filename("述职签到表", extension="pdf"))


@any_staff
@require_GET
def report_photo(request: AuthedHttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of the meeting, for staff of the station and the deputy (checked, then served)."""
    report = _report(request, pk)
    photo = get_object_or_404(DutyReportPhoto, pk=photo_pk, report=report)
    return file_response(
        photo.file,
        content_type=photo.content_type,
        filename=f"dutyreport-{report.pk}-{photo.pk}.{photo.content_type.split('/')[-1]}",
        inline=True,
    )


@view_required
@require_GET
def not_reported(request: AuthedHttpRequest) -> HttpResponse:
    """County and township deputies who have not reported this term, per station or in the
    whole jurisdiction; `?format=xlsx` downloads the list."""
    stations = selectors.stations_for(request.user, Capability.VIEW_DUTY_REPORTS)
    form = FilterForm(request.GET or None, stations=stations)
    station = form.cleaned_data.get("station") if form.is_valid() else None
    deputies = deputies_visible_to(request.user)
    if station is not None:
        deputies = deputies.filter(
            assignments__station=station, assignments__ends_on__isnull=True
        ).distinct()
    today = timezone.localdate()
    rows = selectors.not_reported(deputies, today=today).select_related("home_region")
    if request.GET.get("format") == "xlsx":
        scope = station.name if station is not None else _("本辖区")
        content = exports.not_reported_xlsx(rows.iterator(), scope=scope, today=today)
        return export_response(
            content, filename=export_filename("本届尚未述职代表", extension="xlsx", date_to=today)
        )
    context = paginate(request, rows)
    context.update({"form": form, "station": station})
    return render(request, "staff/dutyreports/not_reported.html", context)
