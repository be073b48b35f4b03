"""Staff pages for jurisdiction settings and the working-day calendar.

Shape of every view: check access (role, then region scope → 404) → one selector or service →
render. Only congress staff and system administrators of a region reach these pages.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.jurisdiction import selectors, services
from liaison.jurisdiction.calendar import WorkingCalendar, statutory_days, statutory_year_known
from liaison.jurisdiction.forms import CalendarOverrideForm, setting_form
from liaison.jurisdiction.registry import SettingDef
from liaison.regions.models import Region, ancestor_codes

manager_view = staff_required(Capability.MANAGE_JURISDICTION)

MIN_YEAR, MAX_YEAR = 2000, 2100


def _settings_url(region: Region) -> str:
    return f"{reverse('jurisdiction:settings')}?region={region.code}"


def _calendar_url(region: Region, year: int) -> str:
    return f"{reverse('jurisdiction:calendar')}?region={region.code}&year={year}"


def _definition_or_404(key: str) -> SettingDef:
    # A setting of a feature not installed yet is not offered, so it is not edited either.
    definition = selectors.setting_definition_available(key)
    if definition is None:
        raise Http404
    return definition


# --- settings ---------------------------------------------------------------------------------


@require_GET
@manager_view
def settings_page(request: AuthedHttpRequest) -> HttpResponse:
    region = selectors.region_get_for_manager(request.user, request.GET.get("region"))
    effective = selectors.settings_effective(region=region)
    # Groups in the order their first setting was registered.
    grouped: dict[str, list[Any]] = {}
    for item in effective:
        grouped.setdefault(str(item.definition.group), []).append(item)
    groups = [{"label": label, "items": items} for label, items in grouped.items()]
    context = selectors.region_navigation(request.user, region)
    context.update(groups=groups, nav_url_name="jurisdiction:settings")
    return render(request, "staff/jurisdiction/settings.html", context)


@require_http_methods(["GET", "POST"])
@manager_view
def setting_edit(request: AuthedHttpRequest, code: str, key: str) -> HttpResponse:
    region = selectors.region_get_for_manager(request.user, code)
    definition = _definition_or_404(key)
    current = selectors.setting_value(key=key, region=region)
    own = selectors.setting_get_own(region=region, key=key)
    inherited = selectors.setting_value(key=key, region=region.parent_id)
    if request.method == "POST":
        form = setting_form(definition, data=request.POST)
        if form.is_valid():
            try:
                services.setting_set(
                    region=region, key=key, value=form.cleaned_data["value"], actor=request.user
                )
            except ValidationError as error:
                form.add_error("value" if "value" in form.fields else None, error)
            else:
                messages.success(
                    request,
                    _("已保存%(region)s的“%(label)s”。")
                    % {"region": region.name, "label": definition.label},
                )
                return redirect(_settings_url(region))
    else:
        form = setting_form(definition, current=current)
    context = selectors.region_navigation(request.user, region)
    context.update(
        definition=definition,
        form=form,
        own=own,
        current_display=definition.display(current),
        inherited_display=definition.display(inherited),
        default_display=definition.display(definition.default),
        back_url=_settings_url(region),
    )
    return render(request, "staff/jurisdiction/setting_edit.html", context)


@require_POST
@manager_view
def setting_clear(request: AuthedHttpRequest, code: str, key: str) -> HttpResponse:
    region = selectors.region_get_for_manager(request.user, code)
    definition = _definition_or_404(key)
    if services.setting_clear(region=region, key=key, actor=request.user):
        messages.success(
            request,
            _("%(region)s的“%(label)s”已恢复继承上级设置。")
            % {"region": region.name, "label": definition.label},
        )
    else:
        messages.info(request, _("该设置项本来就继承上级设置。"))
    return redirect(_settings_url(region))


# --- calendar ---------------------------------------------------------------------------------


def _year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _override_rows(region: Region, year: int) -> list[dict[str, Any]]:
    rows = []
    ancestors = set(ancestor_codes(region.code))
    for override in selectors.calendar_overrides_page(region=region, year=year):
        code = override.region_id
        if code is None:
            relation = "national"
        elif code == region.code:
            relation = "own"
        elif code in ancestors:
            relation = "ancestor"
        else:
            relation = "descendant"
        rows.append(
            {
                "override": override,
                "relation": relation,
                "removable": relation in {"own", "descendant"},
            }
        )
    return rows


def _calendar_context(request: AuthedHttpRequest, region: Region, year: int) -> dict[str, Any]:
    calendar = WorkingCalendar(region)
    calendar.ensure_loaded(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    statutory = [
        {"day": day, "effective_working": calendar.is_working_day(day.date)}
        for day in statutory_days(year)
    ]
    context = selectors.region_navigation(request.user, region)
    context.update(
        year=year,
        prev_year=year - 1 if year > MIN_YEAR else None,
        next_year=year + 1 if year < MAX_YEAR else None,
        year_known=statutory_year_known(year),
        statutory=statutory,
        overrides=_override_rows(region, year),
        nav_url_name="jurisdiction:calendar",
    )
    return context


@require_GET
@manager_view
def calendar_page(request: AuthedHttpRequest) -> HttpResponse:
    region = selectors.region_get_for_manager(request.user, request.GET.get("region"))
    year = _year(request.GET.get("year"))
    context = _calendar_context(request, region, year)
    context["form"] = CalendarOverrideForm(initial={"is_working_day": "0"})
    return render(request, "staff/jurisdiction/calendar.html", context)


@require_POST
@manager_view
def calendar_override_add(request: AuthedHttpRequest, code: str) -> HttpResponse:
    region = selectors.region_get_for_manager(request.user, code)
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        day: datetime.date = form.cleaned_data["day"]
        try:
            services.calendar_override_set(
                region=region,
                day=day,
                is_working_day=form.cleaned_data["is_working_day"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存 %(day)s 的日历调整。") % {"day": day.isoformat()})
            return redirect(_calendar_url(region, day.year))
    year = _year(request.POST.get("year"))
    context = _calendar_context(request, region, year)
    context["form"] = form
    return render(request, "staff/jurisdiction/calendar.html", context, status=400)


@require_POST
@manager_view
def calendar_override_remove(request: AuthedHttpRequest, code: str, day: str) -> HttpResponse:
    region = selectors.region_get_for_manager(request.user, code)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not services.calendar_override_remove(region=region, day=date, actor=request.user):
        raise Http404
    messages.success(request, _("已删除 %(day)s 的日历调整。") % {"day": date.isoformat()})
    back = request.POST.get("back_region") or region.code
    back_region = selectors.region_get_for_manager(request.user, back)
    return redirect(_calendar_url(back_region, date.year))
