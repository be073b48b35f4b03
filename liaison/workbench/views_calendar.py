"""The staff calendar (接待日历): reception days, rota and pop-up appearances of the stations in
scope, as a month grid or a paginated list, filtered by station, month and status."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.common.paging import paginate
from liaison.receptions import selectors
from liaison.receptions.forms import CalendarFilterForm
from liaison.workbench.calendar_entries import CalendarEntry, StaffQuery, staff_entries


def month_grid(
    month: datetime.date, entries: list[CalendarEntry]
) -> list[list[tuple[datetime.date, bool, list[CalendarEntry]]]]:
    """Weeks (Monday first) of (date, in this month, entries of that date)."""
    by_date: dict[datetime.date, list[CalendarEntry]] = {}
    for entry in entries:
        by_date.setdefault(entry.date, []).append(entry)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[(d, d.month == month.month, by_date.get(d, [])) for d in week] for week in weeks]


@staff_required(Capability.VIEW_RECEPTIONS)
@require_GET
def reception_calendar(request: AuthedHttpRequest) -> HttpResponse:
    stations = selectors.stations_for(request.user, Capability.VIEW_RECEPTIONS)[:2000]
    form = CalendarFilterForm(request.GET or None, stations=[(s.pk, s.name) for s in stations])
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    month = data.get("month") or timezone.localdate().replace(day=1)
    station_id, status = data.get("station"), data.get("status", "")
    first, last = selectors.month_bounds(month)
    context: dict[str, Any] = {
        "form": form,
        "month": month,
        "previous": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "following": (last + datetime.timedelta(days=1)).strftime("%Y-%m"),
        "view": "list" if request.GET.get("view") == "list" else "month",
        # Swap requests waiting for this person's decision, whatever month is shown.
        "pending_swaps": list(selectors.swaps_pending_for(request.user)[:20]),
    }
    if context["view"] == "list":
        days = selectors.days_filtered(
            selectors.days_visible_to(request.user),
            selectors.DayFilters(station_id=station_id, month=month, status=status),
        )
        context.update(paginate(request, selectors.with_rota(days).order_by("starts_at", "id")))
    else:
        query = StaffQuery(
            user=request.user, first=first, last=last, station_id=station_id, status=status
        )
        entries = staff_entries(query)
        context["weeks"] = month_grid(month, entries)
        context["entry_count"] = len(entries)
    query_string = request.GET.copy()
    for key in ("month", "page", "view"):
        query_string.pop(key, None)
    context["filters"] = query_string.urlencode()
    return render(request, "staff/workbench/calendar.html", context)
