"""Staff workbench pages for stations. Each view: check access → selector/service → render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.common.downloads import file_response, stored_image_type
from liaison.common.fonts import CJKFontMissing
from liaison.common.paging import paginate
from liaison.common.posters import poster_pdf, poster_png
from liaison.common.qr import public_url, qr_png, qr_svg
from liaison.regions.models import Level, Region, ancestor_codes
from liaison.stations import selectors, services
from liaison.stations.forms import (
    AppearanceForm,
    AssessmentForm,
    StationCreateForm,
    StationFieldsForm,
    StationListFilterForm,
    StationMoveForm,
    StationStatusForm,
    apply_service_errors,
)
from liaison.stations.models import (
    AssessmentResult,
    Station,
    StationAppearance,
    StationKind,
    StationStatus,
)
from liaison.stations.permissions import (
    can_assess_station,
    can_create_stations,
    can_edit_station,
    can_place_station,
    can_view_station,
)
from liaison.stations.search import stations_matching
from liaison.stations.standards import standard_items_for

staff_view = staff_required(Capability.VIEW_STATIONS)


def _station_fields(form: StationFieldsForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data["kind"],
        "region": data["region"],
        "address": data.get("address", ""),
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
        "opening_hours": data.get("opening_hours", ""),
        "contact_name": data.get("contact_name", ""),
        "contact_phone": data.get("contact_phone", ""),
        "introduction": data.get("introduction", ""),
        "theme": data.get("theme", ""),
    }


def _editable(request: AuthedHttpRequest, pk: int) -> Station:
    station = selectors.station_get_for_user(request.user, pk)
    if not can_edit_station(request.user, station):
        raise PermissionDenied
    return station


def _scan_url(request: AuthedHttpRequest, station: Station) -> str:
    return public_url(reverse("h5:scan", kwargs={"code": station.code}), request)


@staff_view
@require_GET
def station_list(request: AuthedHttpRequest) -> HttpResponse:
    form = StationListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    raw_region = data.get("region", "")
    region = selectors.region_by_code(raw_region) if raw_region else None
    filters = selectors.StationFilters(
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        assessment_result=data.get("result", ""),
        text=data.get("q", ""),
    )
    if raw_region and region is None:
        stations = Station.objects.none()
        messages.error(request, _("未找到该区划代码"))
    else:
        stations = selectors.station_list_for_user(request.user, filters=filters, region=region)
    context = paginate(request, stations)
    _label_rows(context["page_obj"].object_list)
    chosen = str(form["region"].value() or "")
    context.update(
        {
            "form": form,
            "region_choices": _region_options(selectors.scope_region_choices(request.user), chosen),
            "can_create": can_create_stations(request.user),
        }
    )
    return render(request, "staff/stations/list.html", context)


# `get_FOO_display` translates and hashes every choice of the field on each call: about 0.05 ms,
# 200 times on a province's list page (its region options and rows). Labels made once per page.


def _region_options(regions: list[Region], chosen: str) -> list[tuple[str, str, bool]]:
    """(code, label, selected) of the region filter's options."""
    levels = {value: str(label) for value, label in Level.choices}
    return [
        (r.code, f"{r.name}（{levels.get(r.level, r.level)}）", r.code == chosen) for r in regions
    ]


def _label_rows(rows: Iterable[Station]) -> None:
    kinds = {value: str(label) for value, label in StationKind.choices}
    statuses = {value: str(label) for value, label in StationStatus.choices}
    results = {value: str(label) for value, label in AssessmentResult.choices}
    for station in rows:
        station.kind_label = kinds.get(station.kind, station.kind)  # type: ignore[attr-defined]
        station.status_label = statuses.get(station.status, station.status)  # type: ignore[attr-defined]
        station.result_label = results.get(station.assessment_result, "")  # type: ignore[attr-defined]


@staff_view
@require_GET
def station_lookup(request: AuthedHttpRequest) -> JsonResponse:
    """Up to 20 stations of the user's scope for what was typed (the search box of a long
    station filter): the value to put in the box and a label with the region."""
    found = stations_matching(selectors.stations_visible_to(request.user), request.GET.get("q", ""))
    labels = selectors.region_labels({s.region_id for s in found})
    results = [{"value": f"{s.name} {s.code}", "label": labels.get(s.region_id, "")} for s in found]
    return JsonResponse({"results": results})


@staff_view
@require_http_methods(["GET", "POST"])
def station_create(request: AuthedHttpRequest) -> HttpResponse:
    if not can_create_stations(request.user):
        raise PermissionDenied
    parents = selectors.stations_editable_by(request.user).order_by("path")
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = StationCreateForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_create(
                actor=request.user,
                parent=form.cleaned_data.get("parent"),
                **_station_fields(form),
            )
        except PermissionDenied:
            form.add_error("region", _("您无权在该区划或该上级站点下设立站点"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已创建站点“%(name)s”") % {"name": station.name})
            return redirect("stations:detail", pk=station.pk)
    return render(request, "staff/stations/form.html", {"form": form, "creating": True})


@staff_view
@require_GET
def station_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    scan_url = _scan_url(request, station)
    now = timezone.now()
    context = {
        "station": station,
        "scan_url": scan_url,
        "qr_svg": qr_svg(scan_url),
        "public_page": public_url(reverse("h5:station", kwargs={"code": station.code}), request),
        "appearances": [(a, a.ends_at < now) for a in selectors.station_appearances(station)],
        "assessments": list(selectors.station_assessments(station)[:20]),
        "deputies": selectors.station_deputies(station),
        "children": list(selectors.station_children(station)),
        "scans": selectors.scan_summary(station.code),
        "can_edit": can_edit_station(request.user, station),
        "can_assess": can_assess_station(request.user, station),
        # A station head's parent is usually outside their scope: its page would be a 404.
        "parent_viewable": station.parent is not None
        and can_view_station(request.user, station.parent),
    }
    return render(request, "staff/stations/detail.html", context)


@staff_view
@require_GET
def assessment_photo(request: AuthedHttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """An assessment photo, to staff who can see the station (MEDIA is not served)."""
    photo = selectors.assessment_photo_get_for_user(request.user, station_pk=pk, photo_pk=photo_pk)
    content_type = stored_image_type(photo.image)
    return file_response(
        photo.image,
        content_type=content_type,
        filename=f"assessment-{photo.pk}.{content_type.split('/')[-1]}",
        inline=True,
        cache="private, max-age=3600",
    )


@staff_view
@require_http_methods(["GET", "POST"])
def station_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = _editable(request, pk)
    form = StationFieldsForm(request.POST or None, initial=StationFieldsForm.initial_for(station))
    if request.method == "POST" and form.is_valid():
        try:
            services.station_update(
                station=station,
                actor=request.user,
                **_station_fields(form),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("stations:detail", pk=station.pk)
    return render(request, "staff/stations/form.html", {"form": form, "station": station})


@staff_view
@require_http_methods(["GET", "POST"])
def station_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = _editable(request, pk)
    form = StationStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_change_status(
                station=station,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("站点状态已变更"))
            return redirect("stations:detail", pk=station.pk)
    return render(request, "staff/stations/status.html", {"form": form, "station": station})


@staff_view
@require_http_methods(["GET", "POST"])
def station_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = _editable(request, pk)
    parents, allow_root = _move_targets(request, station)
    form = StationMoveForm(request.POST or None, parents=parents, allow_root=allow_root)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_move(
                station=station,
                actor=request.user,
                parent=form.cleaned_data.get("parent"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已调整上级站点"))
            return redirect("stations:detail", pk=station.pk)
    context = {"form": form, "station": station, "has_targets": allow_root or parents.exists()}
    return render(request, "staff/stations/move.html", context)


def _move_targets(request: AuthedHttpRequest, station: Station) -> tuple[QuerySet[Station], bool]:
    """Where the user may move `station`: the parents `services.station_move` would accept
    (asked through the same `can_place_station`), and whether it may become a root.

    Offering only these keeps the form from proposing moves that are then refused; the current
    parent is left out (no change is no move).
    """
    candidates = (
        selectors.stations_editable_by(request.user)
        .exclude(path__startswith=station.path)
        .exclude(status=StationStatus.CLOSED)
        # The parent's region must contain the station's.
        .filter(region_id__in=ancestor_codes(station.region_id))
        .only("pk", "path", "region_id")
    )
    allowed = [
        c.pk
        for c in candidates
        if c.pk != station.parent_id
        and can_place_station(request.user, region_code=station.region_id, parent=c)
    ]
    parents = Station.objects.filter(pk__in=allowed).order_by("path")
    allow_root = station.parent_id is not None and can_place_station(
        request.user, region_code=station.region_id, parent=None
    )
    return parents, allow_root


@staff_view
@require_http_methods(["GET", "POST"])
def appearance_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = _editable(request, pk)
    form = AppearanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_appearance_add(
                station=station,
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                place=form.cleaned_data["place"],
                region=form.cleaned_data.get("region"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已添加出摊安排"))
            return redirect("stations:detail", pk=station.pk)
    return render(
        request, "staff/stations/appearance_form.html", {"form": form, "station": station}
    )


@staff_view
@require_POST
def appearance_cancel(request: AuthedHttpRequest, pk: int, appearance_pk: int) -> HttpResponse:
    station = _editable(request, pk)
    appearance = get_object_or_404(StationAppearance, pk=appearance_pk, station=station)
    try:
        services.station_appearance_cancel(
            appearance=appearance,
            actor=request.user,
            reason=request.POST.get("reason", "")[:200],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已取消出摊安排"))
    return redirect("stations:detail", pk=station.pk)


@staff_view
@require_http_methods(["GET", "POST"])
def station_assess(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    if not can_assess_station(request.user, station):
        raise PermissionDenied
    checklist = standard_items_for(station.region)
    form = AssessmentForm(request.POST or None, request.FILES or None, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_assessment_create(
                station=station,
                actor=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
                item_notes=form.item_notes(),
                note=form.cleaned_data.get("note", ""),
                photos=form.cleaned_data.get("photos") or [],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存评估结果"))
            return redirect("stations:detail", pk=station.pk)
    return render(request, "staff/stations/assess.html", {"form": form, "station": station})


def _poster_args(request: AuthedHttpRequest, station: Station) -> dict[str, Any]:
    lines = [
        _("地址：%(v)s") % {"v": station.address} if station.address else "",
        _("开放时间：%(v)s") % {"v": station.opening_hours} if station.opening_hours else "",
        _("联系电话：%(v)s") % {"v": station.contact_phone} if station.contact_phone else "",
    ]
    return {
        "heading": _("人大代表联络站"),
        "title": station.name,
        "lines": [line for line in lines if line],
        "url": _scan_url(request, station),
    }


def _font_missing(request: AuthedHttpRequest, error: CJKFontMissing) -> HttpResponse:
    return render(request, "staff/stations/font_missing.html", {"message": str(error)}, status=503)


@staff_view
@require_GET
def station_poster_pdf(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    try:
        content = poster_pdf(**_poster_args(request, station))
    except CJKFontMissing as error:
        return _font_missing(request, error)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="poster-{station.code}.pdf"'
    return response


@staff_view
@require_GET
def station_poster_png(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    try:
        content = poster_png(**_poster_args(request, station))
    except CJKFontMissing as error:
        return _font_missing(request, error)
    response = HttpResponse(content, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="poster-{station.code}.png"'
    return response


@staff_view
@require_GET
def station_qr_png(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    response = HttpResponse(qr_png(_scan_url(request, station), 12), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="qr-{station.code}.png"'
    return response
