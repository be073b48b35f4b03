"""Staff pages of activities: list, plan, detail, record, moves, attachments, the queue.

Each view: check access → one selector or service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.activities import selectors, services
from liaison.activities.forms import ActivityFilterForm, ActivityForm, ReasonForm, RecordForm
from liaison.activities.models import Participation
from liaison.activities.rules import kind_choices, kind_labels
from liaison.activities.views_common import (
    SERVICE_ERRORS,
    available_actions,
    error_text,
    first_region,
    form_choices,
    own_participation,
)
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.selectors import cases_visible_to
from liaison.common.downloads import file_response, safe_filename, served_type
from liaison.common.paging import paginate
from liaison.common.uploads import CONTENT_TYPES
from liaison.stations.forms import apply_service_errors

list_view = staff_required(Capability.VIEW_ACTIVITIES)
any_staff = staff_required()


@list_view
@require_GET
def activity_list(request: AuthedHttpRequest) -> HttpResponse:
    stations = selectors.stations_viewable_by(request.user)
    kinds = kind_choices(first_region(stations))
    form = ActivityFilterForm(request.GET or None, stations=stations, kinds=kinds)
    data = form.cleaned_data if form.is_valid() else {}
    month = data.get("month")
    filters = selectors.ActivityFilters(
        station=data.get("station"),
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        year=month[0] if month else None,
        month=month[1] if month else None,
    )
    context = paginate(request, selectors.activity_list(request.user, filters))
    context.update(
        {
            "form": form,
            "labels": dict(kinds),
            "can_plan": selectors.stations_plannable_by(request.user).exists(),
        }
    )
    return render(request, "staff/activities/list.html", context)


@any_staff
@require_http_methods(["GET", "POST"])
def activity_plan(request: AuthedHttpRequest) -> HttpResponse:
    choices = form_choices(request.user)
    if not choices["stations"].exists():
        raise PermissionDenied
    form = ActivityForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_plan(actor=request.user, **_plan_fields(data))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("活动计划已保存。"))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "staff/activities/form.html", {"form": form, "activity": None})


def _plan_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "station": data["station"],
        "kind": data["kind"],
        "title": data["title"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data["place"],
        "organiser": data["organiser"],
        "agenda": data.get("agenda", ""),
        "invited": list(data.get("invited") or []),
        "plan_item": data.get("plan_item"),
        "post": data.get("post"),
        "hours": data.get("hours"),
        "course_kind": data.get("course_kind", ""),
    }


@any_staff
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    if "edit" not in available_actions(request.user, activity):
        raise PermissionDenied
    initial = {
        "station": activity.station_id, "kind": activity.kind, "title": activity.title,
        "starts_at": activity.starts_at, "ends_at": activity.ends_at, "place": activity.place,
        "organiser": activity.organiser, "agenda": activity.agenda,
        "invited": list(activity.participations.filter(invited=True).values_list(
            "deputy_id", flat=True)),
        "plan_item": activity.plan_item_id, "post": activity.post_id, "hours": activity.hours,
        "course_kind": activity.course_kind, "version": activity.version,
    }  # fmt: skip
    choices = form_choices(request.user, activity=activity)
    form = ActivityForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        fields = _plan_fields(form.cleaned_data)
        fields.pop("station")
        try:
            services.activity_edit(
                activity=activity,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **fields,
            )
        except SERVICE_ERRORS as error:
            if isinstance(error, ValidationError):
                apply_service_errors(form, error)
            else:
                messages.error(request, error_text(error))
                return redirect("activities:detail", pk=pk)
        else:
            messages.success(request, _("活动计划已修改。"))
            return redirect("activities:detail", pk=pk)
    context = {"form": form, "activity": activity}
    return render(request, "staff/activities/form.html", context)


@any_staff
@require_GET
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    available = available_actions(request.user, activity)
    context = {
        "activity": activity,
        "kind_label": kind_labels(activity.region_id).get(activity.kind, activity.kind),
        "participations": selectors.participations_of(activity),
        "attachments": list(activity.attachments.order_by("uploaded_at", "id")),
        "cases": list(activity.cases.order_by("id")),
        "events": list(activity.events.select_related("actor").order_by("at", "id")),
        "available": available,
        "own": own_participation(request.user, activity),
        "reason_form": ReasonForm(initial={"version": activity.version}),
    }
    return render(request, "staff/activities/detail.html", context)


@any_staff
@require_http_methods(["GET", "POST"])
def activity_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    if "record" not in available_actions(request.user, activity):
        messages.error(request, _("该活动当前不能登记（尚未开始或已提交）。"))
        return redirect("activities:detail", pk=pk)
    participations = Participation.objects.filter(activity=activity)
    came = [p.deputy_id for p in participations if p.attended]
    initial = {
        "attended": came or [p.deputy_id for p in participations],
        "on_leave": [p.deputy_id for p in participations if p.on_leave],
        "leave_reason": next((p.leave_reason for p in participations if p.on_leave), ""),
        "findings": activity.findings, "problems_solved": activity.problems_solved,
        "suggestions": activity.suggestions, "hours": activity.hours,
        "case_codes": " ".join(activity.cases.values_list("tracking_code", flat=True)),
        "version": activity.version,
    }  # fmt: skip
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        deputies=selectors.eligible_deputies(activity.station),
        cases=cases_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_record(
                activity=activity,
                actor=request.user,
                attended=list(data["attended"]),
                findings=data["findings"],
                problems_solved=data.get("problems_solved", ""),
                suggestions=data.get("suggestions", ""),
                cases=data.get("case_codes") or [],
                files=data.get("attachments") or [],
                hours=data.get("hours"),
                on_leave=list(data.get("on_leave") or []),
                leave_reason=data.get("leave_reason", ""),
                expected_version=data.get("version"),
            )
        except SERVICE_ERRORS as error:
            if isinstance(error, ValidationError):
                apply_service_errors(form, error)
            else:
                messages.error(request, error_text(error))
                return redirect("activities:detail", pk=pk)
        else:
            messages.success(request, _("活动情况已登记，请核对后提交核实。"))
            return redirect("activities:detail", pk=pk)
    return render(request, "staff/activities/record.html", {"form": form, "activity": activity})


_DONE = {
    "submit": _("已提交核实。"),
    "verify": _("已核实。"),
    "return": _("已退回。"),
    "cancel": _("活动已取消。"),
    "confirm": _("已确认出席。"),
}


@any_staff
@require_POST
def activity_act(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    """One button of the detail page: submit, verify, return, cancel, confirm."""
    if action not in _DONE:
        raise Http404
    activity = selectors.activity_get_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    version = request.POST.get("version", "")
    expected = int(version) if version.isdigit() else None
    user = request.user
    try:
        if action == "submit":
            services.activity_submit(activity=activity, actor=user, expected_version=expected)
        elif action == "verify":
            services.activity_verify(activity=activity, actor=user, expected_version=expected)
        elif action == "confirm":
            services.attendance_confirm(activity=activity, actor=user)
        else:
            reason = form.data.get("reason", "")
            service = services.activity_return if action == "return" else services.activity_cancel
            service(activity=activity, actor=user, reason=reason, expected_version=expected)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, str(_DONE[action]))
    back = request.POST.get("next", "")
    if back == "mine":
        return redirect("activities:mine")
    return redirect("activities:detail", pk=pk)


@any_staff
@require_GET
def activity_attachment(request: AuthedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A photo or PDF of an activity the viewer may see; 404 (and no audit row) outside."""
    activity = selectors.activity_get_for_user(request.user, pk)
    attachment = get_object_or_404(activity.attachments.all(), pk=attachment_pk)
    content_type = served_type(attachment.content_type)
    extension = next((e for e, t in CONTENT_TYPES.items() if t == content_type), "bin")
    response = file_response(
        attachment.file,
        content_type=content_type,
        filename=safe_filename(attachment.original_name, extension=extension, fallback="附件"),
        inline=True,
    )
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW_PRIVATE,
        obj=attachment,
        region_code=activity.region_id,
        note=f"查看活动 {activity.pk} 的附件",
    )
    return response


@staff_required(Capability.VERIFY_ACTIVITIES)
@require_GET
def activity_queue(request: AuthedHttpRequest) -> HttpResponse:
    """Records awaiting verification in the user's region, oldest first."""
    context = paginate(request, selectors.activities_awaiting_verification(request.user))
    scope = capability_scope(request.user, Capability.VERIFY_ACTIVITIES)
    region = scope.regions[0].code if scope.regions else None
    context["labels"] = kind_labels(region)
    return render(request, "staff/activities/queue.html", context)
