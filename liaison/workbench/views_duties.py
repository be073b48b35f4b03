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
from liaison.workbench.calendar_entries import DeputyQuery, deputy_entries

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
    duties = list(
        selectors.duties_of(deputy, since=today - datetime.timedelta(days=LOOK_BACK_DAYS))
    )
    upcoming = [d for d in duties if d.day.ends_at > now and d.day.status != "cancelled"]
    to_confirm = [
        d
        for d in duties
        if d.day.starts_at <= now and d.present is None and d.day.status != "cancelled"
    ]
    entries = deputy_entries(
        DeputyQuery(
            deputy=deputy, first=today, last=today + datetime.timedelta(days=LOOK_AHEAD_DAYS)
        )
    )
    year = today.year
    context = {
        "deputy": deputy,
        "upcoming": upcoming,
        "to_confirm": to_confirm,
        "entries": entries,
        "items": selectors.items_taken_by(deputy),
        "attended": selectors.attended_count(deputy, year=year),
        "minimum": int(setting_value(key=MIN_PER_YEAR, region=deputy.home_region_id)),
        "year": year,
    }
    return render(request, "staff/workbench/duties.html", context)
