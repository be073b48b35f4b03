"""Staff pages of grids and posts. Each view: check access → selector/service → render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.common.paging import paginate
from liaison.grids import choices, selectors, services
from liaison.grids.duty_kinds import duty_kind_choices, duty_kind_labels
from liaison.grids.forms import (
    DeactivateForm,
    GridFilterForm,
    GridForm,
    PostForm,
    apply_service_errors,
)
from liaison.grids.models import Grid, Post
from liaison.grids.permissions import can_create_grids, can_manage_grid
from liaison.regions.models import Region
from liaison.stations.selectors import scope_region_choices

staff_view = staff_required(Capability.VIEW_GRIDS)
# Who left a post: the page lists the latest; the register has them all.
PAST_LIMIT = 50


# --- shared by the list pages -------------------------------------------------------------------


def list_filters(request: AuthedHttpRequest) -> tuple[selectors.GridFilters, dict[str, Any]]:
    """The filters of a list page from its query string, and what the filter bar shows."""
    form = GridFilterForm(request.GET or None)
    filters = form.filters()
    region = filters.region
    if filters.unknown_region:
        messages.error(request, _("未找到该区划代码"))
    # The duty kinds offered are those in force where the user works: the filtered region, their
    # own region, or (station staff) the region of a grid they see.
    scope = capability_scope(request.user, Capability.VIEW_GRIDS)
    kind_region: Region | str | None = region or (scope.regions[0] if scope.regions else None)
    if kind_region is None:
        kind_region = (
            selectors.grids_visible_to(request.user).values_list("region_id", flat=True).first()
        )
    bar = {
        "form": form,
        "region_choices": scope_region_choices(request.user),
        "station_choices": list(choices.stations_with_grids(request.user)[:500]),
        "kind_choices": duty_kind_choices(kind_region),
        "filters": filters,
    }
    return filters, bar


def posted(request: AuthedHttpRequest) -> Any:
    """The form data of a POST, even an empty one (a form of optional fields sent blank)."""
    return request.POST if request.method == "POST" else None


def _grid_or_403(request: AuthedHttpRequest, pk: int) -> Grid:
    grid = selectors.grid_get_for_user(request.user, pk)
    if not can_manage_grid(request.user, grid):
        raise PermissionDenied
    return grid


def post_or_403(request: AuthedHttpRequest, pk: int) -> Post:
    post = selectors.post_get_for_user(request.user, pk)
    if not can_manage_grid(request.user, post.grid):
        raise PermissionDenied
    return post


def _scope_error(form: Any, error: PermissionDenied) -> None:
    form.add_error(None, str(error) or _("该操作不在您的管辖范围内。"))


# --- grids --------------------------------------------------------------------------------------


@staff_view
@require_GET
def grid_list(request: AuthedHttpRequest) -> HttpResponse:
    filters, bar = list_filters(request)
    grids = selectors.grid_list_for_user(request.user, filters=filters)
    context = paginate(request, grids)
    context.update(bar)
    context["can_create"] = can_create_grids(request.user)
    return render(request, "staff/grids/list.html", context)


def _grid_form(request: AuthedHttpRequest, **kwargs: Any) -> GridForm:
    return GridForm(
        posted(request),
        regions=choices.regions_for_grids(request.user),
        stations=choices.stations_for_grids(request.user),
        **kwargs,
    )


@staff_view
@require_http_methods(["GET", "POST"])
def grid_create(request: AuthedHttpRequest) -> HttpResponse:
    if not can_create_grids(request.user):
        raise PermissionDenied
    form = _grid_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grid = services.grid_create(
                actor=request.user,
                name=data["name"],
                region=data["region"],
                station=data.get("station"),
                description=data.get("description", ""),
            )
        except PermissionDenied as error:
            _scope_error(form, error)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已创建网格“%(name)s”") % {"name": grid.name})
            return redirect("grids:detail", pk=grid.pk)
    return render(request, "staff/grids/grid_form.html", {"form": form, "creating": True})


@staff_view
@require_GET
def grid_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    grid = selectors.grid_get_for_user(request.user, pk)
    context = paginate(request, selectors.grid_posts(grid), per_page=50)
    labels = duty_kind_labels(grid.region_id)
    context.update(
        {
            "grid": grid,
            "posts": [
                (p, labels.get(p.duty_kind, p.duty_kind)) for p in context["page_obj"].object_list
            ],
            "active_posts": selectors.grid_active_post_count(grid),
            "can_manage": can_manage_grid(request.user, grid),
        }
    )
    return render(request, "staff/grids/grid_detail.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def grid_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    grid = _grid_or_403(request, pk)
    initial = {
        "name": grid.name,
        "region": grid.region_id,
        "station": grid.station_id,
        "description": grid.description,
        "version": grid.version,
    }
    form = _grid_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grid_update(
                grid=grid,
                actor=request.user,
                name=data["name"],
                region=data["region"],
                station=data.get("station"),
                description=data.get("description", ""),
                expected_version=data.get("version"),
            )
        except PermissionDenied as error:
            _scope_error(form, error)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("grids:detail", pk=grid.pk)
    context = {"form": form, "grid": grid}
    return render(request, "staff/grids/grid_form.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def grid_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    grid = _grid_or_403(request, pk)
    form = DeactivateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.grid_deactivate(
                grid=grid, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("网格“%(name)s”已停用") % {"name": grid.name})
            return redirect("grids:detail", pk=grid.pk)
    context = {"form": form, "subject": grid, "grid": grid, "is_grid": True}
    return render(request, "staff/grids/deactivate.html", context)


# --- posts --------------------------------------------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
def post_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    grid = _grid_or_403(request, pk)
    form = PostForm(posted(request), kinds=duty_kind_choices(grid.region_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                actor=request.user,
                grid=grid,
                duty_kind=data["duty_kind"],
                name=data["name"],
                description=data.get("description", ""),
                needed=data["needed"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已新增岗位“%(name)s”") % {"name": post.name})
            return redirect("grids:post", pk=post.pk)
    return render(request, "staff/grids/post_form.html", {"form": form, "grid": grid})


@staff_view
@require_GET
def post_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_for_user(request.user, pk)
    holders = selectors.post_holders(post, past_limit=PAST_LIMIT)
    context = {
        "post": post,
        "grid": post.grid,
        "kind_label": duty_kind_labels(post.grid.region_id).get(post.duty_kind, post.duty_kind),
        "holders": holders,
        "on_duty": holders.on_duty,
        "short": max(0, post.needed - holders.on_duty),
        "work_log": selectors.post_work_log(post),
        "past_limit": PAST_LIMIT,
        "can_manage": can_manage_grid(request.user, post.grid),
    }
    return render(request, "staff/grids/post_detail.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = post_or_403(request, pk)
    kinds = duty_kind_choices(post.grid.region_id)
    if post.duty_kind not in dict(kinds):
        kinds.append((post.duty_kind, post.duty_kind))
    initial = {
        "name": post.name,
        "duty_kind": post.duty_kind,
        "needed": post.needed,
        "description": post.description,
        "version": post.version,
    }
    form = PostForm(posted(request), kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_update(
                post=post,
                actor=request.user,
                duty_kind=data["duty_kind"],
                name=data["name"],
                description=data.get("description", ""),
                needed=data["needed"],
                expected_version=data.get("version"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("grids:post", pk=post.pk)
    context = {"form": form, "grid": post.grid, "post": post}
    return render(request, "staff/grids/post_form.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def post_deactivate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = post_or_403(request, pk)
    form = DeactivateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.post_deactivate(
                post=post, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("岗位“%(name)s”已停用") % {"name": post.name})
            return redirect("grids:post", pk=post.pk)
    context = {"form": form, "subject": post, "grid": post.grid, "post": post}
    return render(request, "staff/grids/deactivate.html", context)
