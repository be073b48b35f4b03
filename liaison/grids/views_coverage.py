"""The coverage page (where deputies are missing) and the files: coverage lists and the register."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.common.exports import export_filename, export_response
from liaison.common.paging import paginate
from liaison.grids import coverage, exports
from liaison.grids.duty_kinds import DutyKindNames
from liaison.grids.selectors import GridFilters, deputy_levels
from liaison.grids.views_staff import list_filters, staff_view

TABS: dict[str, StrOrPromise] = {
    "posts": gettext_lazy("缺少代表的岗位"),
    "grids": gettext_lazy("无代表在岗的网格"),
    "deputies": gettext_lazy("未上岗的代表"),
}


def _rows(request: AuthedHttpRequest, show: str, filters: GridFilters) -> Any:
    if show == "grids":
        return coverage.grids_without_deputies(request.user, filters=filters)
    if show == "deputies":
        return coverage.deputies_without_post(request.user, filters=filters)
    return coverage.posts_short_of_deputies(request.user, filters=filters)


@staff_view
@require_GET
def coverage_page(request: AuthedHttpRequest) -> HttpResponse:
    show = request.GET.get("show", "posts")
    if show not in TABS:
        show = "posts"
    filters, bar = list_filters(request)
    context = paginate(request, _rows(request, show, filters))
    rows = context["page_obj"].object_list
    if show == "posts":
        names = DutyKindNames()
        context["rows"] = [(p, names.name(p.duty_kind, p.grid.region_id)) for p in rows]
    elif show == "deputies":
        context["rows"] = [(d, deputy_levels(d)) for d in rows]
    else:
        context["rows"] = [(g, None) for g in rows]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("show", None)
    context.update(bar)
    context.update(
        {
            "show": show,
            # How many each list holds, so the tabs say where the gaps are before a click.
            "tabs": [
                (
                    key,
                    label,
                    context["page_obj"].paginator.count
                    if key == show
                    else _rows(request, key, filters).count(),
                )
                for key, label in TABS.items()
            ],
            "filter_query": query.urlencode(),
        }
    )
    return render(request, "staff/grids/coverage.html", context)


def _subtitle(filters: GridFilters) -> str:
    place = filters.region.name if filters.region is not None else _("管辖范围内")
    return _("%(place)s · 截至 %(day)s") % {"place": place, "day": timezone.localdate().isoformat()}


def _send(
    request: AuthedHttpRequest,
    *,
    name: str,
    build: Callable[..., tuple[bytes, int]],
    rows: Iterable[Any],
    filters: GridFilters,
) -> HttpResponse:
    content, count = build(rows, subtitle=_subtitle(filters))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="grids.export",
        object_label=name,
        region_code=filters.region.code if filters.region is not None else "",
        note=_("导出%(name)s（%(n)d 行）") % {"name": name, "n": count},
    )
    day = timezone.localdate()
    return export_response(content, filename=export_filename(name, extension="xlsx", date_to=day))


@staff_view
@require_GET
def coverage_export(request: AuthedHttpRequest, show: str) -> HttpResponse:
    if show not in TABS:
        raise Http404
    filters, _bar = list_filters(request)
    builders: dict[str, Callable[..., tuple[bytes, int]]] = {
        "posts": exports.short_posts_xlsx,
        "grids": exports.empty_grids_xlsx,
        "deputies": exports.idle_deputies_xlsx,
    }
    rows = _rows(request, show, filters).iterator(chunk_size=500)
    return _send(request, name=str(TABS[show]), build=builders[show], rows=rows, filters=filters)


@staff_view
@require_GET
def register_export(request: AuthedHttpRequest) -> HttpResponse:
    filters, _bar = list_filters(request)
    rows = coverage.register_rows(request.user, filters=filters).iterator(chunk_size=500)
    return _send(
        request, name="网格岗位台账", build=exports.register_xlsx, rows=rows, filters=filters
    )
