"""Public phone pages of the case loop: intake form, tracking (code + PIN), the echo wall.

The tracking page remembers, per browser session, which cases the person has opened with a
correct PIN. A PIN is only ever typed into the form (POST): no link of the platform carries one,
and a `?pin=` of an old SMS link is dropped unread (redirected to the form) so that it reaches no
log. Wrong PINs are counted per code as well as per address (services/pins.py); a locked code
gets a new PIN by SMS (`track_pin`) or from station staff.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison.cases import workflow
from liaison.cases.actions import facts_of, may
from liaison.cases.echo import EchoRow, echo_wall_cases
from liaison.cases.forms_h5 import IntakeForm, PinResendForm, RatingForm, TrackForm
from liaison.cases.free_text import case_texts_masked
from liaison.cases.hooks import case_mentions
from liaison.cases.models import Case, Channel, EventKind, Kind, Rating, Status
from liaison.cases.selectors import public_timeline
from liaison.cases.services import case_evaluate, case_withdraw
from liaison.cases.services.errors import CaseConflict
from liaison.cases.services.intake import case_submit, normalize_tracking_code
from liaison.cases.services.pins import (
    PinVerdict,
    case_pin_resend,
    locked_message,
    pin_guard_locked,
)
from liaison.cases.tracking import case_by_tracking_code, case_for_tracking_page
from liaison.common import ratelimit
from liaison.common.hotcache import HotCache
from liaison.common.pagecache import fragment_seconds, public_page
from liaison.common.paging import paginate
from liaison.common.widgets import FastSelect, option_rows
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputy_public_get
from liaison.jurisdiction.selectors import setting_value
from liaison.stations import public_picker
from liaison.stations import selectors as station_selectors
from liaison.stations.models import Station
from liaison.taxonomy.categories import category_choices
from liaison.taxonomy.models import Category

SESSION_TRACKED = "cases_tracked"
SESSION_RESULT = "cases_intake_result"
MAX_TRACKED = 20
STATION_CHOICES_LIMIT = 300
WRONG_PIN = _("查询码或查询密码不正确，请核对后重试。")


def _limited(request: HttpRequest, verdict: ratelimit.Verdict) -> HttpResponse:
    response = render(request, "h5/cases/limited.html", {"message": verdict.message}, status=429)
    for header, value in ratelimit.too_many_headers(verdict).items():
        response[header] = value
    return response


def _public_station(code: str) -> Station | None:
    try:
        return station_selectors.station_public_get_cached(code.strip().upper()) if code else None
    except Http404:
        return None


def _public_deputy(code: str) -> Deputy | None:
    try:
        return deputy_public_get(code.strip().upper()) if code else None
    except Http404:
        return None


# --- intake ------------------------------------------------------------------------------------


def _station_picker(request: HttpRequest) -> dict[str, Any]:
    """Choices for people who came without a QR code: filter by county and name, then pick."""
    raw_region = request.GET.get("region", "").strip()
    text = request.GET.get("q", "").strip()[:50]
    return {
        "choices": public_picker.station_options(
            raw_region=raw_region, text=text, limit=STATION_CHOICES_LIMIT
        ),
        # Called by the template only when the picker's fragment is not cached.
        "region_select": partial(
            public_picker.region_select,
            value=raw_region,
            empty_label=_("全部地区"),
            attrs={"aria-label": _("地区")},
        ),
        "raw_region": raw_region,
        "q": text,
    }


# The phone form's category groups (one query and a hundred-odd rows): kept per process, cleared
# by the category services on change (hotcache.clear_all).
_intake_categories: HotCache[list[tuple[str, list[tuple[int, str]]]]] = HotCache(
    "intake_categories", max_entries=4
)


def _apply_service_errors(form: IntakeForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    station = _public_station(source.get("station", ""))
    deputy = _public_deputy(source.get("deputy", ""))
    # `via`: "qr" when the visit began with a scan of the code (the scan redirect marks it),
    # "page" when the form was opened from a station's or deputy's page reached another way.
    if request.method == "POST":
        via = source.get("via", "")
        prebound = via in ("qr", "page")
    else:
        prebound = station is not None or deputy is not None
        via = ("qr" if source.get("via") == "qr" else "page") if prebound else ""
        if (request.GET.get("station") and station is None) or (
            request.GET.get("deputy") and deputy is None
        ):
            messages.warning(request, _("二维码对应的站点或代表不存在或已停用，请选择联络站。"))
    picker = None if prebound else _station_picker(request)
    region = station.region if station is not None else None
    form_kwargs: dict[str, Any] = {
        "category_choices": _intake_categories.get("national", category_choices),
        "station_choices": picker["choices"] if picker is not None else None,
    }
    if request.method == "POST":
        verdict = ratelimit.hit(request, ratelimit.CASE_SUBMIT)
        if not verdict.allowed:
            return _limited(request, verdict)
        form = IntakeForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            # Only a scan is 扫码; a link followed on a page is 网站, pre-bound or not.
            channel = Channel.QR if via == "qr" else Channel.WEB
            response = _submit_valid(request, form, station=station, deputy=deputy, channel=channel)
            if response is not None:
                return response
    else:
        initial = {
            "via": via,
            "station": station.code if station else "",
            "deputy": deputy.code if deputy else "",
            "allow_publish": bool(setting_value(key="echo_wall_publish_default", region=region)),
        }
        form = IntakeForm(initial=initial, **form_kwargs)
    context = {
        "form": form,
        "station": station,
        "deputy": deputy,
        "picker": picker,
        "fragment_seconds": fragment_seconds(),
    }
    return render(request, "h5/cases/submit.html", context)


def _submit_valid(
    request: HttpRequest,
    form: IntakeForm,
    *,
    station: Station | None,
    deputy: Deputy | None,
    channel: str,
) -> HttpResponse | None:
    data = form.cleaned_data
    if data["station"] and station is None:
        form.add_error("station", _("联络站不存在或已停用，请重新选择"))
        return None
    category = None
    if data["category"]:
        category = Category.objects.filter(pk=data["category"], is_active=True).first()
    try:
        result = case_submit(
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            channel=channel,
            station=station,
            deputy=deputy,
            category=category,
            place=data["place"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            is_anonymous=data["is_anonymous"],
            allow_publish=data["allow_publish"],
            consent=data["consent"],
            images=data["images"],
            client_token=data["client_token"],
        )
    except ValidationError as exc:
        _apply_service_errors(form, exc)
        return None
    code = result.case.tracking_code
    previous = request.session.get(SESSION_RESULT) or {}
    pin = result.pin
    if not result.created and previous.get("code") == code:
        pin = previous.get("pin")  # a double submit: show the PIN of the first one again
    request.session[SESSION_RESULT] = {"code": code, "pin": pin}
    _remember(request, code)
    return redirect("cases_h5:submitted")


@never_cache
@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    result = request.session.get(SESSION_RESULT)
    if not result:
        return redirect("cases_h5:track")
    track_url = reverse("cases_h5:track", kwargs={"code": result["code"]})
    # The PIN stays in the session only until it has been shown once (a double submit whose
    # first answer never arrived still shows it); after that only its HMAC exists.
    request.session[SESSION_RESULT] = {"code": result["code"], "pin": None}
    return render(
        request,
        "h5/cases/submitted.html",
        {"code": result["code"], "pin": result.get("pin"), "track_url": track_url},
    )


# --- tracking ----------------------------------------------------------------------------------


def _remember(request: HttpRequest, code: str) -> None:
    tracked = [c for c in request.session.get(SESSION_TRACKED, []) if c != code]
    request.session[SESSION_TRACKED] = [*tracked, code][-MAX_TRACKED:]


def _is_remembered(request: HttpRequest, code: str) -> bool:
    return code in request.session.get(SESSION_TRACKED, [])


def _check_pin(request: HttpRequest, code: str, pin: str) -> PinVerdict:
    verdict = case_by_tracking_code(code=code, pin=pin, only=("tracking_code",)).verdict
    if verdict is not PinVerdict.OK:
        ratelimit.hit(request, ratelimit.PIN_ATTEMPT)
    return verdict


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TrackForm(request.POST)
        verdict = ratelimit.peek(request, ratelimit.PIN_ATTEMPT)
        if not verdict.allowed:
            return _limited(request, verdict)
        if form.is_valid():
            code = normalize_tracking_code(form.cleaned_data["code"])
            result = _check_pin(request, code, form.cleaned_data["pin"])
            if result is PinVerdict.OK:
                _remember(request, code)
                return redirect("cases_h5:track", code=code)
            form.add_error(None, locked_message() if result is PinVerdict.LOCKED else WRONG_PIN)
    else:
        form = TrackForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(request, "h5/cases/track.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def track_pin(request: HttpRequest) -> HttpResponse:
    """重新获取查询密码: a new PIN by SMS to the phone given with the case. The answer is the
    same whether or not code and phone match, so the page tells nobody whose phone it is."""
    if request.method == "POST":
        form = PinResendForm(request.POST)
        verdict = ratelimit.peek(request, ratelimit.PIN_ATTEMPT)
        if not verdict.allowed:
            return _limited(request, verdict)
        if form.is_valid():
            code = normalize_tracking_code(form.cleaned_data["code"])
            try:
                sent = case_pin_resend(tracking_code=code, phone=form.cleaned_data["phone"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not sent:
                    ratelimit.hit(request, ratelimit.PIN_ATTEMPT)
                messages.success(
                    request,
                    _(
                        "如果查询码和手机号与提交时一致，新的查询密码已通过短信发送到该手机，"
                        "原查询密码随即失效。"
                    ),
                )
                return _track_form_redirect(code)
    else:
        form = PinResendForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(request, "h5/cases/pin_resend.html", {"form": form})


def _track_form_redirect(code: str) -> HttpResponse:
    return HttpResponseRedirect(reverse("cases_h5:track") + "?" + urlencode({"code": code}))


_EVENT_LABELS = dict(EventKind.choices)
_STATUS_LABELS = dict(Status.choices)
_KIND_LABELS = dict(Kind.choices)
_RATING_LABELS = dict(Rating.choices)


@never_cache
@require_GET
def track_case(request: HttpRequest, code: str) -> HttpResponse:
    code = normalize_tracking_code(code)
    if "pin" in request.GET:
        # A link of an SMS sent before PINs left URLs: the PIN is not read, only dropped from
        # the address bar; the person types it into the form.
        messages.info(request, _("为保护您的信息，请在下方输入查询密码。"))
        return _track_form_redirect(code)
    if not _is_remembered(request, code):
        return _track_form_redirect(code)
    case = case_for_tracking_page(code=code)
    if case is None:
        return _track_form_redirect(code)

    scale = setting_value(key="rating_scale", region=case.region_id)
    facts = facts_of(case, pending_extension=None)
    context = {
        "case": case,
        # Masked as on the echo wall and the staff page: whoever holds the PIN may not be the
        # person who typed the text.
        "texts": case_texts_masked(case),
        # Labels from dicts of the choices: `get_FOO_display` hashes every lazy label of the
        # field on each call (a translation each), a tenth of this page's time.
        "timeline": [(e, _EVENT_LABELS.get(e.kind, e.kind)) for e in public_timeline(case)],
        "status_label": _STATUS_LABELS.get(case.status, case.status),
        "kind_label": _KIND_LABELS.get(case.kind, case.kind),
        "rating_label": _RATING_LABELS.get(case.rating, case.rating),
        "mentions": case_mentions(case.pk),
        "rating_form": RatingForm(scale=scale, initial={"version": case.version})
        if may("rate", {workflow.CONSTITUENT}, facts)
        else None,
        "can_withdraw": may("withdraw", {workflow.CONSTITUENT}, facts),
        "scale": scale,
        "fragment_seconds": fragment_seconds(),
    }
    return render(request, "h5/cases/case.html", context)


def _tracked_case_or_redirect(request: HttpRequest, code: str) -> Case | HttpResponse:
    code = normalize_tracking_code(code)
    case = (
        Case.objects.filter(tracking_code=code).first() if _is_remembered(request, code) else None
    )
    if case is not None and pin_guard_locked(tracking_code=code):
        # A locked code acts on nobody's behalf until a new PIN is issued.
        messages.error(request, locked_message())
        return _track_form_redirect(code)
    return case if case is not None else _track_form_redirect(code)


def _move_error_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, CaseConflict):
        return str(exc)
    return _("当前状态下不能进行此操作，请刷新页面查看最新进度。")


@require_POST
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    case = _tracked_case_or_redirect(request, code)
    if not isinstance(case, Case):
        return case

    form = RatingForm(request.POST, scale=setting_value(key="rating_scale", region=case.region_id))
    if not form.is_valid():
        messages.error(request, _("请选择满意程度后再提交。"))
        return redirect("cases_h5:track", code=case.tracking_code)
    try:
        case_evaluate(
            case=case,
            rating=form.cleaned_data["rating"],
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            actor=None,
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, CaseConflict, workflow.TransitionNotAllowed) as exc:
        messages.error(request, _move_error_message(exc))
    else:
        messages.success(request, _("感谢您的评价！"))
    return redirect("cases_h5:track", code=case.tracking_code)


@require_POST
def track_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    case = _tracked_case_or_redirect(request, code)
    if not isinstance(case, Case):
        return case

    try:
        case_withdraw(case=case, reason=request.POST.get("reason", "").strip()[:200])
    except (ValidationError, CaseConflict, workflow.TransitionNotAllowed) as exc:
        messages.error(request, _move_error_message(exc))
    else:
        messages.success(request, _("您的意见已撤回。"))
    return redirect("cases_h5:track", code=case.tracking_code)


# --- echo wall ---------------------------------------------------------------------------------

# The wall's category filter: the national top level (cached rows, see widgets.option_rows).
_TOP_CATEGORIES = Category.objects.filter(region__isnull=True, level=1, is_active=True).order_by(
    "path"
)


@require_GET
@public_page
def echo(request: HttpRequest) -> HttpResponse:
    station = _public_station(request.GET.get("station", ""))
    raw_region = request.GET.get("region", "").strip()
    region = station_selectors.region_by_code(raw_region) if raw_region else None
    raw_category = request.GET.get("category", "").strip()
    category = (
        Category.objects.filter(pk=int(raw_category), is_active=True).first()
        if raw_category.isdigit()
        else None
    )
    cases = echo_wall_cases(station=station, region=region, category=category)
    # No COUNT(*): the wall only grows, and its count would cost more than the page.
    context = paginate(request, cases, per_page=20, count=False)
    context.update(
        {
            "items": [EchoRow(case) for case in context["page_obj"].object_list],
            "fragment_seconds": fragment_seconds(),
            "station": station,
            "region": region,
            "raw_region": raw_region,
            "category": category,
            "region_select": public_picker.region_select(
                value=raw_region, empty_label=_("全部地区"), attrs={"aria-label": _("地区")}
            ),
            "category_select": FastSelect(
                attrs={"aria-label": _("分类")},
                choices=[("", _("全部分类")), *option_rows(_TOP_CATEGORIES, ("id", "name"))],
            ).render("category", category.pk if category is not None else ""),
            "ratings": Rating,
        }
    )
    return render(request, "h5/cases/echo.html", context)
