"""Public pages: the iCalendar feeds of a station and of a deputy, and the visitors' sign-in."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from liaison.common import ratelimit
from liaison.common.qr import public_url
from liaison.deputies.selectors import deputy_public_get
from liaison.receptions import ical, public
from liaison.receptions.forms import SignInForm
from liaison.receptions.services.signins import signin_open, visitor_sign_in
from liaison.stations.forms import apply_service_errors
from liaison.stations.selectors import station_public_get

# Like the intake form: a phone may sign in a few people, not flood the list.
SIGNIN = ratelimit.Limit("reception_signin", 10, 600)


def _calendar(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response


@require_GET
def station_feed(request: HttpRequest, code: str) -> HttpResponse:
    station = station_public_get(code.strip().upper())
    days = public.station_feed_days(station, timezone.localdate())
    data = ical.feed_bytes(
        name=f"{station.name} 代表接待日", days=days, base_url=public_url("/", request)
    )
    return _calendar(data, station.code)


@require_GET
def deputy_feed(request: HttpRequest, code: str) -> HttpResponse:
    deputy = deputy_public_get(code.strip().upper())
    days = public.deputy_feed_days(deputy, timezone.localdate())
    data = ical.feed_bytes(
        name=f"{deputy.name} 代表接待日", days=days, base_url=public_url("/", request)
    )
    return _calendar(data, deputy.code)


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, code: str) -> HttpResponse:
    try:
        day = public.day_for_signin(code)
    except Http404:
        return render(request, "h5/receptions/signin_closed.html", {}, status=404)
    form = SignInForm(request.POST or None)
    done = False
    refused: ratelimit.Verdict | None = None
    if request.method == "POST":
        verdict = ratelimit.hit(request, SIGNIN)
        if not verdict.allowed:
            form.is_valid()
            form.add_error(None, verdict.message)
            refused = verdict
        elif form.is_valid():
            try:
                visitor_sign_in(
                    day=day,
                    name=form.cleaned_data["name"],
                    anonymous=form.cleaned_data["anonymous"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                done = True
    context = {"day": day, "form": form, "done": done, "open": signin_open(day)}
    status = 429 if refused is not None else 200
    response = render(request, "h5/receptions/signin.html", context, status=status)
    if refused is not None:
        for header, value in ratelimit.too_many_headers(refused).items():
            response[header] = value
    return response
