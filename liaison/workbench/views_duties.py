"""The deputy's "my duties" page (我的值班), made for the phone: upcoming reception days on duty
and the pop-ups of their stations (one merged list), confirming attendance, asking for a swap,
the cases raised at their receptions with their status, and attendance so far this year."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liaison.accounts.capabilities import Capability
from liaison.accounts.decorators import AuthedHttpRequest, staff_required
from liaison.jurisdiction.selectors import setting_value
from liaison.receptions import selectors
from liaison.receptions.permissions import deputy_of
from liaison.receptions.place_settings import MIN_PER_YEAR
from liaison.workbench.calendar_entries import DeputyQuery, deputy_entries, reception_entry

LOOK_AHEAD_DAYS = 120
LOOK_BACK_DAYS = 30  # recent days still waiting for the deputy's confirmation


@staff_required(Capability.TAKE_RECEPTION_DUTY)
@require_GET
def my_duties(request: AuthedHttpRequest) -> HttpResponse:
    deputy = deputy_of(request.user)
    if deputy is None:
        raise PermissionDenied
    today = timezone.localdate()
    now = timezone.now()
    year = today.year
    last = today + datetime.timedelta(days=LOOK_AHEAD_DAYS)
    # One read of the deputy's duties from New Year (or a month back in January) serves the
    # attendance count, the days to confirm, the coming duties and the calendar's reception days.
    since = min(datetime.date(year, 1, 1), today - datetime.timedelta(days=LOOK_BACK_DAYS))
    duties = list(selectors.duties_of(deputy, since=since, until=last))
    live = [d for d in duties if d.day.status != "cancelled"]
    pending = selectors.swaps_pending_of(request.user)
    upcoming = [d for d in live if d.day.ends_at > now]
    confirm_from = today - datetime.timedelta(days=LOOK_BACK_DAYS)
    known = tuple(reception_entry(d.day, url="") for d in upcoming)
    context = {
        "deputy": deputy,
        "upcoming": [(d, pending.get(d.pk)) for d in upcoming],
        "to_confirm": [
            d
            for d in live
            if d.day.starts_at <= now and d.present is None and d.day.date >= confirm_from
        ],
        "entries": deputy_entries(DeputyQuery(deputy=deputy, first=today, last=last, known=known)),
        "items": selectors.items_taken_by(deputy),
        "attended": sum(1 for d in duties if d.present and d.day.date.year == year),
        "minimum": int(setting_value(key=MIN_PER_YEAR, region=deputy.home_region_id)),
        "year": year,
    }
    return render(request, "staff/workbench/duties.html", context)
