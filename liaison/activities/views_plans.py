"""Staff pages of the annual work plans, the training gaps and the registers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.activities import jobs, selectors, services
from liaison.activities.forms import PlanItemForm, RegisterForm, YearStationForm
from liaison.activities.models import WorkPlan, WorkPlanItem
from liaison.activities.rules import kind_choices, kind_label, kind_labels, training_hours_required
from liaison.activities.selectors_public import work_plan_items
from liaison.activities.views_common import first_region
from liaison.common.paging import paginate
from liaison.deputies.models import StationDeputy
from liaison.deputies.selectors import deputies_visible_to
from liaison.stations.forms import apply_service_errors
from liaison.stations.models import Station

view = staff_required(Capability.VIEW_ACTIVITIES)


def _station_for(request: AuthedHttpRequest, pk: int) -> Station:
    station = selectors.stations_viewable_by(request.user).filter(pk=pk).first()
    if station is None:
        raise Http404("station not in scope")
    return station


def _can_plan(request: AuthedHttpRequest, station: Station) -> bool:
    scope = capability_scope(request.user, Capability.PLAN_ACTIVITIES)
    return scope.covers_station(region_code=station.region_id, path=station.path)


@view
@require_GET
def plan_index(request: AuthedHttpRequest) -> HttpResponse:
    """Choose a station and a year; lists the plans of the year in scope."""
    stations = selectors.stations_viewable_by(request.user)
    form = YearStationForm(request.GET or None, stations=stations)
    if form.is_valid() and form.cleaned_data.get("station") is not None:
        station = form.cleaned_data["station"]
        return redirect("activities:plan", station_pk=station.pk, year=form.cleaned_data["year"])
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    plans = WorkPlan.objects.filter(year=year, station__in=stations.values("pk"))
    context = paginate(request, plans.select_related("station").order_by("station__name", "id"))
    context.update({"form": form, "year": year})
    return render(request, "staff/activities/plan_index.html", context)


@view
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedHttpRequest, station_pk: int, year: int) -> HttpResponse:
    """One station's plan of one year: items by month with fulfilment; add, remove, publish."""
    station = _station_for(request, station_pk)
    can_plan = _can_plan(request, station)
    kinds = kind_choices(station.region_id)
    form = PlanItemForm(request.POST or None, kinds=kinds)
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.work_plan_item_add(
                    actor=request.user, station=station, year=year, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("已增加计划事项。"))
                return redirect("activities:plan", station_pk=station.pk, year=year)
    plan = WorkPlan.objects.filter(station=station, year=year).first()
    labels = kind_labels(station.region_id)
    items = [
        (item, kind_label(item.kind, labels)) for item in (work_plan_items(plan) if plan else [])
    ]
    held = sum(1 for item, _label in items if getattr(item, "held", False))
    context = {
        "station": station, "year": year, "plan": plan, "items": items, "form": form,
        "can_plan": can_plan, "held": held,
    }  # fmt: skip
    return render(request, "staff/activities/plan.html", context)


@view
@require_POST
def plan_item_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(WorkPlanItem.objects.select_related("plan__station"), pk=pk)
    station = _station_for(request, item.plan.station_id)
    try:
        services.work_plan_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已删除计划事项。"))
    return redirect("activities:plan", station_pk=station.pk, year=item.plan.year)


@view
@require_POST
def plan_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(WorkPlan.objects.select_related("station"), pk=pk)
    _station_for(request, plan.station_id)
    publish = request.POST.get("publish") == "1"
    try:
        services.work_plan_publish(actor=request.user, plan=plan, publish=publish)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已公布到站点页面。") if publish else _("已撤回。"))
    return redirect("activities:plan", station_pk=plan.station_id, year=plan.year)


@view
@require_GET
def training_gaps(request: AuthedHttpRequest) -> HttpResponse:
    """Deputies below the required hours of verified training this year, per station or in the
    whole jurisdiction."""
    stations = selectors.stations_viewable_by(request.user)
    form = YearStationForm(request.GET or None, stations=stations)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    station = data.get("station")
    deputies = deputies_visible_to(request.user)
    if station is not None:
        at = StationDeputy.objects.filter(station=station, ends_on__isnull=True)
        deputies = deputies.filter(pk__in=at.values("deputy_id"))
    region = station.region_id if station is not None else first_region(stations)
    required = training_hours_required(region)
    gaps = selectors.training_gaps(deputies, year=year, required=required)
    context = paginate(request, gaps)
    rows = [(d, required - d.training_hours) for d in context["page_obj"].object_list]
    context.update(
        {"form": form, "year": year, "required": required, "station": station, "rows": rows}
    )
    return render(request, "staff/activities/training.html", context)


@view
@require_http_methods(["GET", "POST"])
def register_export(request: AuthedHttpRequest) -> HttpResponse:
    """The activity or training register of a year, for a station or the whole scope, queued as
    an export job whose page says when it is ready. A GET only shows the form; bad input comes
    back on the form in Chinese and nothing is queued."""
    stations = selectors.stations_viewable_by(request.user)
    form = RegisterForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.register_export_request(
                actor=request.user,
                register=data["register"],
                year=data["year"],
                station=data.get("station"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("jobs:detail", pk=job.pk)
    recent = jobs.register_jobs_of(request.user)[:10]
    return render(request, "staff/activities/registers.html", {"form": form, "jobs": recent})
