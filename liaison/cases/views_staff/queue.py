"""The queues page and the bulk actions on it."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.models import User
from liaison.cases import queues, services
from liaison.cases.forms_staff import BulkAssignForm, QueueFilterForm
from liaison.cases.row_keys import queue_row_key
from liaison.cases.selectors import case_get_for_user
from liaison.cases.views_staff.common import SERVICE_ERRORS, case_view, error_text, work_view
from liaison.common.pagecache import fragment_seconds
from liaison.common.paging import paginate
from liaison.stations.search import station_select_is_long
from liaison.stations.selectors import normalize_region_code, region_by_code, stations_visible_to
from liaison.taxonomy.models import Category
from liaison.units.selectors import units_visible_to


def _filters(form: QueueFilterForm) -> tuple[queues.CaseFilters, str]:
    data = form.cleaned_data if form.is_valid() else {}
    raw_region = data.get("region", "")
    region = region_by_code(raw_region) if raw_region else None
    station = data.get("station")
    unit = data.get("unit")
    category = data.get("category")
    filters = queues.CaseFilters(
        station_id=station.pk if station else None,
        region=region,
        kind=data.get("kind", ""),
        channel=data.get("channel", ""),
        category_path=category.path if category else "",
        unit_id=unit.pk if unit else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        text=data.get("q", ""),
    )
    return filters, data.get("sort") or ""


@case_view
@require_GET
def case_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    available = queues.queues_for(user)
    queue = queues.QUEUE_BY_KEY.get(request.GET.get("queue", ""))
    if queue is None or queue not in available:
        queue = queues.default_queue(user)
    units = units_visible_to(user).filter(is_active=True).order_by("name")
    data = request.GET.copy()
    if data.get("sort") and data["sort"] not in queue.sorts:
        # A link from another tab (期限最近 on 全部): the queue's own order, the filters kept.
        del data["sort"]
    form = QueueFilterForm(
        data or None,
        stations=stations_visible_to(user).order_by("path"),
        units=units,
        categories=Category.objects.filter(level__lte=2, is_active=True).order_by("path"),
        station_search=station_select_is_long(user),
        sorts=queue.sorts,
    )
    filters, sort = _filters(form)
    raw_region = request.GET.get("region", "").strip()
    if raw_region and filters.region is None:
        messages.error(request, _("未找到该区划代码：%(c)s") % {"c": raw_region})
    cases = queues.queue_rows(user, queue=queue, filters=filters, sort=sort)
    counts = queues.queue_counts(user, available)
    # "全部" is the jurisdiction's whole history: previous/next pages instead of a total.
    context = paginate(request, cases, count=queue.key not in queues.UNCOUNTED)
    page_cases = list(context["page_obj"].object_list)
    queues.attach_countdowns(page_cases)
    can_bulk = has_capability(user, Capability.WORK_CASES) and queue.key in {
        "to_accept",
        "to_assign",
    }
    for case in page_cases:
        case.row_key = queue_row_key(case, can_bulk=can_bulk)
    context.update(
        {
            "cases": page_cases,
            "queue": queue,
            "queue_tabs": [(q, counts[q.key]) for q in available],
            "count_cap": queues.COUNT_CAP,
            "form": form,
            "can_bulk": can_bulk,
            "bulk_form": BulkAssignForm(units=units) if can_bulk else None,
            "is_station_staff": has_capability(user, Capability.WORK_CASES),
            # Decided from the scope, not by reading the stations (the select reads them once).
            "show_station_filter": not capability_scope(user, Capability.VIEW_STATIONS).is_empty,
            "normalized_region": normalize_region_code(raw_region) if raw_region else "",
            "fragment_seconds": fragment_seconds(),
        }
    )
    return render(request, "staff/cases/queue.html", context)


def _bulk_one(request: HttpRequest, pk: int, action: str, extra: dict[str, Any]) -> str | None:
    """Run one case through the loop; the error text, or None on success."""
    try:
        case = case_get_for_user(request.user, pk)
    except Http404:
        return _("不存在或不在您的辖区")
    actor = cast(User, request.user)
    raw_version = request.POST.get(f"v{pk}", "")
    version = int(raw_version) if raw_version.isdigit() else None
    try:
        if action == "accept":
            services.case_accept(case=case, actor=actor, expected_version=version)
        else:
            services.case_assign(
                case=case,
                actor=actor,
                unit=extra["unit"],
                due=extra.get("due"),
                expected_version=version,
            )
    except SERVICE_ERRORS as error:
        return error_text(error)
    return None


@work_view
@require_POST
def case_bulk(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    back = request.POST.get("next", "")
    target = back if back.startswith("/staff/cases/") else "cases:queue"
    ids = [int(v) for v in request.POST.getlist("case") if v.isdigit()][:100]
    if action not in {"accept", "assign"} or not ids:
        messages.error(request, _("请先勾选案件并选择操作。"))
        return redirect(target)
    extra: dict[str, Any] = {}
    if action == "assign":
        form = BulkAssignForm(
            request.POST, units=units_visible_to(request.user).filter(is_active=True)
        )
        if not form.is_valid():
            messages.error(request, _("批量交办请选择承办单位。"))
            return redirect(target)
        extra = form.cleaned_data
    done: list[str] = []
    codes = dict(
        queues.visible_cases(request.user).filter(pk__in=ids).values_list("pk", "tracking_code")
    )
    for pk in ids:
        error = _bulk_one(request, pk, action, extra)
        label = codes.get(pk, f"#{pk}")
        if error is None:
            done.append(label)
        else:
            messages.error(request, _("%(code)s 未处理：%(why)s") % {"code": label, "why": error})
    if done:
        verb = _("受理") if action == "accept" else _("交办")
        messages.success(
            request,
            _("已%(verb)s %(n)d 件：%(codes)s")
            % {"verb": verb, "n": len(done), "codes": "、".join(done)},
        )
    return redirect(target)
