"""Staff intake of opinions that arrive through other channels (hotline, letters, visits …)."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.decorators import AuthedHttpRequest
from liaison.accounts.scoping import AnyUser
from liaison.cases.forms_staff import IntakeForm
from liaison.cases.models import Case
from liaison.cases.services.intake import case_submit
from liaison.cases.similar import similar_to_text
from liaison.cases.views_staff.common import triage_view
from liaison.common.qr import qr_svg
from liaison.stations.forms import apply_service_errors
from liaison.stations.models import Station, StationStatus
from liaison.stations.selectors import stations_visible_to
from liaison.taxonomy.models import Category


def intake_stations(user: AnyUser) -> QuerySet[Station]:
    """Active stations in the user's scope: where staff may record an opinion."""
    return (
        stations_visible_to(user)
        .filter(status=StationStatus.ACTIVE)
        .select_related("region")
        .order_by("path")
    )


def intake_categories(user: AnyUser) -> QuerySet[Category]:
    scope = capability_scope(user, Capability.WORK_CASES)
    return Category.objects.filter(
        Q(region__isnull=True) | scope.q(region_field="region_id"), is_active=True
    ).order_by("path")


# A token the intake page carries, so that sending the form again (a reload of the slip, a
# double click) returns the case already made instead of a second one with a second PIN.
_TOKEN = re.compile(r"staff-[0-9a-f]{16,32}")


def _posted_token(request: AuthedHttpRequest) -> str | None:
    raw = request.POST.get("client_token", "")
    return raw if _TOKEN.fullmatch(raw) else None


def _slip(request: AuthedHttpRequest, case: Case, pin: str) -> HttpResponse:
    """The printable slip (回执) for a person without a mobile phone: the PIN is on this
    response only, which no cache keeps; the case keeps its HMAC."""
    path = reverse("cases_h5:track")
    base = str(getattr(settings, "PUBLIC_BASE_URL", "")).rstrip("/")
    track_address = base + path if base else request.build_absolute_uri(path)
    # The QR code carries the tracking code only, never the PIN (an address ends up in logs).
    case_path = reverse("cases_h5:track", kwargs={"code": case.tracking_code})
    qr_url = base + case_path if base else request.build_absolute_uri(case_path)
    context = {
        "case": case,
        "pin": pin,
        "track_address": track_address,
        "qr": qr_svg(qr_url, scale=3, border=4),
        "station_phone": case.station.contact_phone if case.station else "",
    }
    response = render(request, "staff/cases/intake_slip.html", context)
    response["Cache-Control"] = "no-store"
    return response


@triage_view
@require_http_methods(["GET", "POST"])
def case_intake(request: AuthedHttpRequest) -> HttpResponse:
    token = _posted_token(request) if request.method == "POST" else None
    form = IntakeForm(
        request.POST or None,
        stations=intake_stations(request.user),
        categories=intake_categories(request.user),
        initial={"channel": request.GET.get("channel", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = case_submit(
                actor=request.user,
                channel=data["channel"],
                channel_ref=data.get("channel_ref", ""),
                station=data["station"],
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                category=data.get("category"),
                place=data.get("place", ""),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                is_anonymous=data.get("is_anonymous", False),
                allow_publish=data.get("allow_publish", False),
                client_token=token,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            case = result.case
            if result.created and result.pin:
                return _slip(request, case, result.pin)
            if token is not None and case.client_token == token:
                # This very form sent again: its slip was shown the first time.
                messages.info(
                    request,
                    _(
                        "该意见已录入（查询码 %(code)s），未重复录入。查询密码只在第一次的回执上"
                        "显示；如群众未拿到回执，请在本页“重置查询密码”。"
                    )
                    % {"code": case.tracking_code},
                )
                return redirect("cases:detail", pk=case.pk)
            # Said without a link: the earlier case may lie outside this user's scope.
            messages.info(
                request,
                _("该来源编号已录入过（查询码 %(code)s），未重复录入")
                % {"code": case.tracking_code},
            )
            return redirect("cases:queue")
    context = {"form": form, "client_token": token or f"staff-{uuid.uuid4().hex}"}
    return render(request, "staff/cases/intake.html", context)


SIMILAR_LIMIT = 5
# Fewer characters of title and content than this say too little to compare.
SIMILAR_MIN_CHARS = 6


def _param(request: AuthedHttpRequest, name: str, limit: int) -> str:
    return request.GET.get(name, "").strip()[:limit]


def _intake_station(user: AnyUser, raw: str) -> Station | None:
    """The chosen station if the user may record there; else the user's only station, if one."""
    stations = intake_stations(user)
    if raw.isdigit():
        return stations.filter(pk=int(raw)).first()
    only = list(stations[:2])
    return only[0] if len(only) == 1 else None


@triage_view
@require_GET
def case_intake_similar(request: AuthedHttpRequest) -> HttpResponse:
    """HTML fragment for the intake form: open cases like the one being typed (疑似重复)."""
    title = _param(request, "title", 100)
    content = _param(request, "content", 5000)
    place = _param(request, "place", 200)
    station = _intake_station(request.user, _param(request, "station", 20))
    state = "ok"
    similar: list[object] = []
    if station is None:
        state = "no_station"
    elif len(title) + len(content) < SIMILAR_MIN_CHARS:
        state = "too_short"
    else:
        found = similar_to_text(
            region_code=station.region_id,
            title=title,
            content=content,
            place=place,
            user=request.user,
            limit=SIMILAR_LIMIT,
        )
        if found is None:  # the county's index is being built: the next keystroke asks again
            state = "preparing"
        else:
            similar = list(found)
    context = {"similar_cases": similar, "state": state, "limit": SIMILAR_LIMIT}
    response = render(request, "staff/cases/_intake_similar.html", context)
    response["Cache-Control"] = "no-store"
    return response
