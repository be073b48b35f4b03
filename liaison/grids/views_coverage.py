"""The coverage page (where deputies are missing) and the files: coverage lists and the register."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from liaison.accounts.decorators import AuthedHttpRequest
from liaison.common.paging import paginate
from liaison.grids import jobs
from liaison.grids.duty_kinds import DutyKindNames
from liaison.grids.selectors import GridFilters, deputy_levels
from liaison.grids.views_staff import list_filters, staff_view
from liaison.jobs.services import export_job_request

TABS: dict[str, StrOrPromise] = {
    "posts": gettext_lazy("缺少代表的岗位"),
    "grids": gettext_lazy("无代表在岗的网格"),
    "deputies": gettext_lazy("未上岗的代表"),
}


def _rows(request: AuthedHttpRequest, show: str, filters: GridFilters) -> Any:
    _name, rows, _build = jobs.COVERAGE_LISTS[show]
    return rows(request.user, filters=filters)


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


def _queue(
    request: AuthedHttpRequest, *, kind: str, title: str, params: dict[str, str]
) -> HttpResponse:
    filters = jobs.filters_from_query(params["query"])
    job = export_job_request(
        actor=request.user,
        kind=kind,
        params=params,
        title=title,
        region_code=filters.region.code if filters.region is not None else "",
    )
    return redirect("jobs:detail", pk=job.pk)


@staff_view
@require_POST
def coverage_export(request: AuthedHttpRequest, show: str) -> HttpResponse:
    """Queue the coverage list `show` with the page's filters; its page shows when it is ready."""
    if show not in TABS:
        raise Http404
    query = request.POST.get("query", "")[:500]
    return _queue(
        request, kind=jobs.COVERAGE, title=str(TABS[show]), params={"show": show, "query": query}
    )


@staff_view
@require_POST
def register_export(request: AuthedHttpRequest) -> HttpResponse:
    """Queue 网格岗位台账 with the list page's filters."""
    query = request.POST.get("query", "")[:500]
    return _queue(request, kind=jobs.REGISTER, title=_("网格岗位台账"), params={"query": query})
