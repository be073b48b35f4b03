"""Staff pages of reception days: schedules, one-off days, a day (rota, swaps, sign-ins),
the record form and its photos. Each view: check access → one service or selector → render.
The calendar and the deputy's duties live in liaison/workbench (they join other sources)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.cases.models import Kind
from liaison.common.downloads import file_response
from liaison.common.masking import mask_name
from liaison.common.paging import paginate
from liaison.common.qr import public_url, qr_svg
from liaison.jurisdiction.selectors import setting_value
from liaison.receptions import selectors
from liaison.receptions.forms import (
    ITEM_ROWS,
    DayForm,
    RecordForm,
    ScheduleForm,
    item_rows,
    items_from,
)
from liaison.receptions.models import Reception, ReceptionDuty, ReceptionPhoto, SwapRequest
from liaison.receptions.permissions import can_record_day, can_schedule
from liaison.receptions.services import days, records, rota, schedules, swaps
from liaison.stations.forms import apply_service_errors
from liaison.stations.models import Station

view_required = staff_required(Capability.VIEW_RECEPTIONS)
schedule_required = staff_required(Capability.SCHEDULE_RECEPTIONS)
STATION_CHOICES_MAX = 2000
MAX_ITEM_ROWS = 20
MORE_ROWS = 5


def _station_choices(request: AuthedHttpRequest, capability: Capability) -> list[tuple[int, str]]:
    stations = selectors.stations_for(request.user, capability)[:STATION_CHOICES_MAX]
    return [(s.pk, s.name) for s in stations]


def _station(request: AuthedHttpRequest, pk: int, capability: Capability) -> Station:
    station = selectors.stations_for(request.user, capability).filter(pk=pk).first()
    if station is None:
        raise PermissionDenied
    return station


def _flash(request: AuthedHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@view_required
@require_GET
def schedule_list(request: AuthedHttpRequest) -> HttpResponse:
    schedules_qs = selectors.schedules_visible_to(request.user).order_by(
        "-is_active", "station__name", "id"
    )
    context = paginate(request, schedules_qs)
    # The monthly minimum of the user's jurisdiction (reception_days_per_month), this month.
    scope = capability_scope(request.user, Capability.VIEW_RECEPTIONS)
    where = scope.regions[0].code if scope.regions else None
    if where is None:
        first_station = selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS).first()
        where = first_station.region_id if first_station else None
    minimum = int(setting_value(key="reception_days_per_month", region=where))
    month = timezone.localdate().replace(day=1)
    context.update(
        {
            "monthly_minimum": minimum,
            "month": month,
            "below_minimum": selectors.stations_below_monthly(
                request.user, month=month, minimum=minimum
            ),
        }
    )
    return render(request, "staff/receptions/schedules.html", context)


@schedule_required
@require_http_methods(["GET", "POST"])
def schedule_create(request: AuthedHttpRequest) -> HttpResponse:
    choices = _station_choices(request, Capability.SCHEDULE_RECEPTIONS)
    form = ScheduleForm(request.POST or None, stations=choices)
    if request.method == "POST" and form.is_valid():
        station = _station(request, form.cleaned_data["station"], Capability.SCHEDULE_RECEPTIONS)
        try:
            schedule = schedules.schedule_create(
                station=station, actor=request.user, data=form.schedule_input()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            count = schedule.days.count()
            messages.success(request, _("已保存接待日安排，生成接待日 %(n)d 个") % {"n": count})
            return redirect("receptions:schedules")
    return render(request, "staff/receptions/schedule_form.html", {"form": form})


@schedule_required
@require_POST
def schedule_stop(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    schedule = selectors.schedule_get_for_user(request.user, pk)
    try:
        count = schedules.schedule_stop(
            schedule=schedule, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("已停用，取消今后的接待日 %(n)d 个") % {"n": count})
    return redirect("receptions:schedules")


@schedule_required
@require_http_methods(["GET", "POST"])
def day_create(request: AuthedHttpRequest) -> HttpResponse:
    form = DayForm(
        request.POST or None, stations=_station_choices(request, Capability.SCHEDULE_RECEPTIONS)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        station = _station(request, data["station"], Capability.SCHEDULE_RECEPTIONS)
        try:
            day = days.day_create(
                station=station,
                actor=request.user,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                place=data["place"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已新增接待日"))
            return redirect("receptions:day", pk=day.pk)
    return render(request, "staff/receptions/day_form.html", {"form": form})


@view_required
@require_GET
def day_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    day = selectors.day_get_for_user(request.user, pk)
    duties = selectors.day_duties(day)
    record = getattr(day, "record", None)
    signin_url = public_url(
        reverse("receptions_h5:signin", kwargs={"code": day.signin_code}), request
    )
    may_schedule = can_schedule(request.user, day.station)
    context = {
        "day": day,
        "duties": duties,
        "swaps": selectors.day_swaps(day),
        "record": record,
        "items": list(record.items.select_related("case", "deputy")) if record else [],
        "photos": list(record.photos.all()) if record else [],
        "signins": [
            (s.at, _("匿名") if s.is_anonymous else mask_name(s.name))
            for s in day.signins.all()[:500]
        ],
        "signin_qr": qr_svg(signin_url),
        "signin_url": signin_url,
        "may_schedule": may_schedule,
        "may_record": can_record_day(request.user, day, duties),
        "deputies": list(selectors.deputies_assignable(request.user)[:2000])
        if may_schedule
        else [],
    }
    return render(request, "staff/receptions/day.html", context)


@schedule_required
@require_POST
def day_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    day = selectors.day_get_for_user(request.user, pk)
    try:
        days.day_cancel(day=day, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("已取消接待日"))
    return redirect("receptions:day", pk=day.pk)


@schedule_required
@require_POST
def rota_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    day = selectors.day_get_for_user(request.user, pk)
    raw = request.POST.get("deputy", "")
    deputy = (
        selectors.deputies_assignable(request.user)
        .filter(pk=int(raw) if raw.isdigit() else 0)
        .first()
    )
    if deputy is None:
        messages.error(request, _("请选择辖区内的在任代表"))
        return redirect("receptions:day", pk=day.pk)
    try:
        rota.duty_assign(day=day, deputy=deputy, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("已安排 %(name)s 值班") % {"name": deputy.name})
    return redirect("receptions:day", pk=day.pk)


@schedule_required
@require_POST
def rota_remove(request: AuthedHttpRequest, pk: int, duty_pk: int) -> HttpResponse:
    day = selectors.day_get_for_user(request.user, pk)
    duty = get_object_or_404(ReceptionDuty, pk=duty_pk, day=day)
    try:
        rota.duty_remove(duty=duty, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("已取消该代表的值班"))
    return redirect("receptions:day", pk=day.pk)


@staff_required(Capability.RECORD_RECEPTIONS)
@require_POST
def duty_confirm_for(request: AuthedHttpRequest, pk: int, duty_pk: int) -> HttpResponse:
    day = selectors.day_get_for_user(request.user, pk)
    duty = get_object_or_404(ReceptionDuty, pk=duty_pk, day=day)
    try:
        rota.duty_confirm(duty=duty, actor=request.user, present=request.POST.get("present") != "0")
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("已记录到场情况"))
    return redirect("receptions:day", pk=day.pk)


@schedule_required
@require_POST
def swap_decide(request: AuthedHttpRequest, pk: int, swap_pk: int) -> HttpResponse:
    day = selectors.day_get_for_user(request.user, pk)
    swap = get_object_or_404(SwapRequest, pk=swap_pk, duty__day=day)
    version = request.POST.get("version", "")
    try:
        swaps.swap_decide(
            swap=swap,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
            expected_version=int(version) if version.isdigit() else None,
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("已处理调班申请"))
    return redirect("receptions:day", pk=day.pk)


@staff_required()
@require_http_methods(["GET", "POST"])
def day_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The record form: station staff, or a deputy on duty that day."""
    day = selectors.day_for_recorder(request.user, pk)
    duties = selectors.day_duties(day)
    if not can_record_day(request.user, day, duties):
        raise PermissionDenied
    if request.method == "GET" and Reception.objects.filter(day=day).exists():
        # One record per day: show it rather than a blank form the service would refuse.
        messages.info(request, _("该接待日已有接待记录"))
        if selectors.days_visible_to(request.user).filter(pk=day.pk).exists():
            return redirect("receptions:day", pk=day.pk)
        return redirect("workbench:duties")
    raw_rows = request.POST.get("rows", "") or request.GET.get("items", "")
    rows = min(int(raw_rows), MAX_ITEM_ROWS) if raw_rows.isdigit() else ITEM_ROWS
    form = RecordForm(request.POST or None)
    item_errors: list[str] = []
    if request.method == "POST" and "more" in request.POST:
        # "More rows" re-shows the form with what was typed and five blank rows; nothing saved.
        form = RecordForm(
            initial={k: request.POST.get(k, "") for k in ("visitor_count", "minutes")}
        )
        rows = min(rows + MORE_ROWS, MAX_ITEM_ROWS)
    elif request.method == "POST":
        items, item_errors = items_from(request.POST, rows=rows)
        if form.is_valid() and not item_errors:
            present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
            try:
                records.reception_record(
                    day=day,
                    actor=request.user,
                    visitor_count=form.cleaned_data["visitor_count"],
                    minutes=form.cleaned_data["minutes"],
                    present_deputy_ids=present,
                    items=items,
                    photos=request.FILES.getlist("photos"),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
                if hasattr(error, "error_dict"):
                    item_errors += [
                        m for e in error.error_dict.get("items", []) for m in e.messages
                    ]
                    item_errors += [
                        m for e in error.error_dict.get("photos", []) for m in e.messages
                    ]
            else:
                messages.success(request, _("接待记录已保存，反映事项已转为民意件"))
                if selectors.days_visible_to(request.user).filter(pk=day.pk).exists():
                    return redirect("receptions:day", pk=day.pk)
                return redirect("workbench:duties")
    if request.method == "POST":
        # Shown again: what was typed stays, including who was ticked as present.
        ticked = set(request.POST.getlist("present"))
        present_ids = {d.deputy_id for d in duties if str(d.deputy_id) in ticked}
    else:
        present_ids = {d.deputy_id for d in duties if d.present}
    context = {
        "day": day,
        "duties": duties,
        "present_ids": present_ids,
        "form": form,
        "item_rows": item_rows(request.POST if request.method == "POST" else None, rows=rows),
        "row_count": rows,
        "can_add_rows": rows < MAX_ITEM_ROWS,
        "item_errors": item_errors,
        "kinds": Kind.choices,
    }
    return render(request, "staff/receptions/record_form.html", context)


@staff_required()
@require_GET
def record_photo(request: AuthedHttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A reception photo, for whoever may see or record that day (checked, then served)."""
    day = selectors.day_for_recorder(request.user, pk)
    photo = get_object_or_404(ReceptionPhoto, pk=photo_pk, reception__day=day)
    return file_response(
        photo.file,
        content_type=photo.content_type,
        filename=f"reception-{day.pk}-{photo.pk}.{photo.content_type.split('/')[-1]}",
        inline=True,
    )
