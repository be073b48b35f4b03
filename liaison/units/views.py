"""Staff pages for handling units: list, create/edit, routing rules and unit staff."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability, has_capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.accounts.models import Membership, Role
from liaison.accounts.services import membership_grant, membership_revoke
from liaison.common.paging import paginate
from liaison.regions.models import ancestor_codes
from liaison.stations.forms import apply_service_errors
from liaison.taxonomy.models import Category
from liaison.units import selectors, services
from liaison.units.forms import RoutingRuleForm, UnitFilterForm, UnitForm, UnitStaffForm
from liaison.units.models import HandlingUnit, RoutingRule
from liaison.units.permissions import can_manage_unit, can_manage_units

manage_view = staff_required(Capability.MANAGE_UNITS)


def _managed(request: AuthedHttpRequest, pk: int) -> HandlingUnit:
    unit = selectors.unit_get_for_user(request.user, pk)
    if not can_manage_unit(request.user, unit):
        raise PermissionDenied
    return unit


@manage_view
@require_GET
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    units = selectors.units_visible_to(request.user)
    if data.get("q"):
        units = units.filter(name__icontains=data["q"])
    if data.get("kind"):
        units = units.filter(kind=data["kind"])
    if data.get("active") in {"0", "1"}:
        units = units.filter(is_active=data["active"] == "1")
    units = units.annotate(
        open_cases=Count("cases", filter=Q(cases__status__in=["assigned"]), distinct=True),
        rule_count=Count("rules", distinct=True),
    ).order_by("region_id", "name")
    context = paginate(request, units)
    context.update({"form": form, "can_create": can_manage_units(request.user)})
    return render(request, "staff/units/list.html", context)


@manage_view
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthedHttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("region", _("您无权在该辖区设立承办单位"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已创建承办单位“%(name)s”") % {"name": unit.name})
            return redirect("units:detail", pk=unit.pk)
    return render(request, "staff/units/form.html", {"form": form, "creating": True})


@manage_view
@require_GET
def unit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_user(request.user, pk)
    manageable = can_manage_unit(request.user, unit)
    region_ids = ancestor_codes(unit.region_id)
    categories = Category.objects.filter(
        Q(region__isnull=True) | Q(region_id__in=region_ids), is_active=True
    ).order_by("path")
    context = {
        "unit": unit,
        "rules": list(selectors.unit_rules(unit)),
        "staff": list(selectors.unit_staff(unit)),
        "can_manage": manageable,
        # System administrators manage units but do not work cases (三权分立): no queue link.
        "can_see_cases": has_capability(request.user, Capability.WORK_CASES),
        "rule_form": RoutingRuleForm(categories=categories, initial={"region": unit.region_id}),
        "staff_form": UnitStaffForm(),
    }
    return render(request, "staff/units/detail.html", context)


@manage_view
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = _managed(request, pk)
    form = UnitForm(request.POST or None, initial=UnitForm.initial_for(unit))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("region", _("您无权把单位调整到该辖区"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("已保存"))
            return redirect("units:detail", pk=unit.pk)
    return render(request, "staff/units/form.html", {"form": form, "unit": unit})


@manage_view
@require_POST
def unit_toggle(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = _managed(request, pk)
    services.unit_set_active(actor=request.user, unit=unit, active=not unit.is_active)
    messages.success(request, _("已启用") if not unit.is_active else _("已停用，不再用于新的交办"))
    return redirect("units:detail", pk=unit.pk)


@manage_view
@require_POST
def rule_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = _managed(request, pk)
    region_ids = ancestor_codes(unit.region_id)
    categories = Category.objects.filter(Q(region__isnull=True) | Q(region_id__in=region_ids))
    form = RoutingRuleForm(request.POST, categories=categories)
    if form.is_valid():
        try:
            services.routing_rule_set(
                actor=request.user,
                unit=unit,
                region=form.cleaned_data["region"],
                category=form.cleaned_data.get("category"),
            )
        except PermissionDenied:
            messages.error(request, _("您无权为该区划设置分派规则"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已保存分派规则"))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("units:detail", pk=unit.pk)


@manage_view
@require_POST
def rule_remove(request: AuthedHttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    unit = _managed(request, pk)
    rule = get_object_or_404(RoutingRule, pk=rule_pk, unit=unit)
    try:
        services.routing_rule_remove(actor=request.user, rule=rule)
    except PermissionDenied:
        messages.error(request, _("您无权删除该规则"))
    else:
        messages.success(request, _("已删除分派规则"))
    return redirect("units:detail", pk=unit.pk)


@manage_view
@require_POST
def staff_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = _managed(request, pk)
    form = UnitStaffForm(request.POST)
    if form.is_valid():
        try:
            membership_grant(
                actor=request.user,
                user=form.cleaned_data["username"],
                role=Role.HANDLING_UNIT,
                unit=unit,
            )
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("已授予承办单位工作人员角色"))
    else:
        for message in form.errors.get("username", []):
            messages.error(request, str(message))
    return redirect("units:detail", pk=unit.pk)


@manage_view
@require_POST
def staff_remove(request: AuthedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    unit = _managed(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        pk=membership_pk,
        kind=Membership.Kind.UNIT,
        unit_ref=unit.pk,
        role=Role.HANDLING_UNIT,
    )
    try:
        membership_revoke(actor=request.user, membership=membership)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("已撤销授权"))
    return redirect("units:detail", pk=unit.pk)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("无权进行此操作")
