"""Issue 10, input: the review's attacks replayed (poison text, deep JSON, PIN guessing from many
addresses, PINs in URLs, the REST throttle), against two counties, the relevant roles and
anonymous callers. Each test failed on the code before the fix."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from liaison.cases.exports import ledger_cases, ledger_xlsx
from liaison.cases.models import Case, CaseEvent, IntakeEntry, PinGuard
from liaison.cases.services.intake import case_pin_matches
from liaison.cases.services.journal_move import intake_entries_move_all
from liaison.cases.services.pins import case_pin_reset
from liaison.cases.tests.public_helpers import submitted
from liaison.common.crypto import seal

pytestmark = pytest.mark.django_db

API = "/api/v1/public/cases"
# Everything the review sent, and its neighbours: C0, DEL, C1, the noncharacters.
POISON = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff"]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def body(station: Any, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "station_code": station.code,
        "kind": "help",
        "title": "小区路灯坏了",
        "content": "东门路灯坏了半个月。",
        "contact_name": "王五",
        "contact_phone": "13800138000",
        "client_token": "sec-input-1",
    }
    values.update(overrides)
    return values


def api_post(raw: bytes | str, **extra: Any) -> Any:
    return Client().post(API, raw, content_type="application/json", **extra)


# --- poison text on every channel --------------------------------------------------------------


@pytest.mark.parametrize("char", POISON)
@pytest.mark.parametrize(
    ("field", "label"),
    [("title", "标题"), ("content", "内容"), ("place", "地点"), ("contact_name", "姓名")],
)
def test_public_api_refuses_control_characters_naming_the_field(
    station: Any, settings: Any, field: str, label: str, char: str
) -> None:
    settings.INTAKE_MOVE_INLINE = False  # what production does: the journal
    response = api_post(json.dumps(body(station, **{field: f"路灯{char}坏了"})))
    assert response.status_code == 400, response.content
    assert label in response.json()[field][0]
    assert "控制字符" in response.json()[field][0]
    assert IntakeEntry.objects.count() == 0
    assert Case.objects.count() == 0


@pytest.mark.parametrize("field", ["title", "content", "station_code", "contact_phone"])
def test_public_api_refuses_a_lone_surrogate_naming_the_field(station: Any, field: str) -> None:
    raw = json.dumps(body(station)).replace(
        f'"{field}": "', f'"{field}": "\\ud800', 1
    )  # an escape that json.loads turns into a lone surrogate
    response = api_post(raw)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert IntakeEntry.objects.count() == 0
    assert Case.objects.count() == 0


def test_tabs_and_line_breaks_stay_allowed_in_the_content_only(station: Any) -> None:
    ok = api_post(json.dumps(body(station, content="第一行\r\n第二行\t完")))
    assert ok.status_code == 201
    refused = api_post(json.dumps(body(station, title="标题\n换行", client_token="t2")))
    assert refused.status_code == 400
    assert "title" in refused.json()


def test_h5_form_refuses_control_characters(station: Any) -> None:
    response = Client().post(
        "/cases/new/",
        {
            "station": station.code,
            "via": "qr",
            "kind": "help",
            "title": "路灯\x07坏了",
            "content": "东门\x1b路灯",
            "consent": "on",
            "client_token": "h5-poison",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "标题中含有无法识别的控制字符" in page
    assert "具体内容中含有无法识别的控制字符" in page
    assert Case.objects.count() == 0


def test_staff_intake_form_refuses_control_characters(
    as_user: Any, station_officer: Any, station: Any
) -> None:
    response = as_user(station_officer).post(
        reverse("cases:intake"),
        {
            "channel": "visit",
            "station": station.pk,
            "kind": "help",
            "title": "路灯\x85坏了",
            "content": "东门路灯",
        },
    )
    assert response.status_code == 200
    assert "标题中含有无法识别的控制字符" in response.content.decode()
    assert Case.objects.count() == 0


def test_staff_action_form_refuses_control_characters(
    as_user: Any, station_officer: Any, station: Any
) -> None:
    case, _pin = submitted(station)
    client = as_user(station_officer)
    response = client.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"expected_version": case.version, "note": "已受理\x00"},
    )
    # Django refuses NUL itself; \x01 is ours.
    assert response.status_code == 200
    response = client.post(
        reverse("cases:act", args=[case.pk, "accept"]),
        {"expected_version": case.version, "note": "已受理\x01"},
    )
    assert response.status_code == 200
    assert "控制字符" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "submitted"


def test_12345_import_refuses_control_characters(as_user: Any, county_staff: Any) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            ["工单编号", "来电时间", "诉求类型", "标题", "诉求内容", "所属区划"],
            ["GD-P1", "2026-03-01 09:30", "投诉", "电梯\x01故障", "电梯停运。", "430104002000"],
        ]
    )
    upload = SimpleUploadedFile("gd.csv", buffer.getvalue().encode())
    response = as_user(county_staff).post(reverse("cases:import"), {"file": upload})
    assert response.status_code == 302
    from liaison.cases.models import CaseImport, JobStatus

    job = CaseImport.objects.latest("pk")
    assert job.status == JobStatus.FAILED
    assert Case.objects.count() == 0
    assert any("控制字符" in problem["message"] for problem in job.report)


# --- malformed JSON on every JSON endpoint -----------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
BAD_BODIES = [
    pytest.param(DEEP.encode(), id="deep-array"),
    pytest.param(('{"a":' * 50_000 + "1" + "}" * 50_000).encode(), id="deep-object"),
    pytest.param(b'{"title": "\xff\xfe"}', id="invalid-utf8"),
    pytest.param(b'{"\\ud800": 1}', id="surrogate-key"),
    pytest.param(b"{not json", id="malformed"),
]


@pytest.mark.parametrize("raw", BAD_BODIES)
def test_public_intake_answers_bad_json_with_a_chinese_400(station: Any, raw: bytes) -> None:
    response = api_post(raw)
    assert response.status_code == 400, response.content[:200]
    assert re.search("[\u4e00-\u9fff]", response.json()["detail"])
    assert IntakeEntry.objects.count() == 0


@pytest.mark.parametrize("raw", BAD_BODIES)
def test_public_lookup_answers_bad_json_with_a_chinese_400(station: Any, raw: bytes) -> None:
    case, _pin = submitted(station)
    response = Client().post(f"{API}/{case.tracking_code}", raw, content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert re.search("[\u4e00-\u9fff]", response.json()["detail"])


@pytest.mark.parametrize("path", ["/api/v1/stations/", "/api/v1/regions/", "/api/v1/deputies/"])
def test_rest_api_never_answers_bad_json_with_a_500(path: str, county_staff: Any) -> None:
    for raw in (DEEP.encode(), b'"\\ud800"', b"\xff"):
        response = Client().post(path, raw, content_type="application/json")
        assert response.status_code < 500


def test_rest_parser_refuses_deep_and_surrogate_json_in_chinese() -> None:
    from rest_framework.exceptions import ParseError

    from liaison.api.parsers import StrictJSONParser

    for raw in (DEEP.encode(), b'{"q": "\\ud800"}', b"\xff"):
        with pytest.raises(ParseError) as caught:
            StrictJSONParser().parse(io.BytesIO(raw))
        assert re.search("[\u4e00-\u9fff]", str(caught.value.detail))


# --- the journal never holds what the API accepted ---------------------------------------------

EDGE_TEXTS = [
    "😀" * 100,  # 100 characters outside the BMP: the title's limit exactly
    "\u200b零宽\u200d连接",
    "\u202e右到左",
    "\ufffd替换符",
    "e\u0301组合",
    "  前后空白  ",
    "引号\"'\\反斜杠",
    "\u3000全角空格",
    "\U0010fffd私用区",
]


@pytest.mark.parametrize("text", EDGE_TEXTS)
def test_whatever_the_api_accepts_the_journal_moves(station: Any, settings: Any, text: str) -> None:
    """On SQLite and on PostgreSQL (the suite runs on DATABASE_URL): nothing accepted is held."""
    settings.INTAKE_MOVE_INLINE = False
    values = body(station, title=text, content=f"{text}\n第二行\t制表", place=text[:200])
    values["contact_name"] = text[:50]
    response = api_post(json.dumps(values))
    assert response.status_code == 201, response.content
    intake_entries_move_all()
    assert IntakeEntry.objects.filter(held_at__isnull=False).count() == 0
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.title == text.strip()


def test_an_entry_journaled_before_the_check_moves_with_the_nul_removed(
    station: Any, settings: Any
) -> None:
    settings.INTAKE_MOVE_INLINE = False
    response = api_post(json.dumps(body(station)))
    code = response.json()["tracking_code"]
    entry = IntakeEntry.objects.get(tracking_code=code)
    from liaison.common.crypto import unseal

    payload = json.loads(unseal(entry.payload))
    payload.update(title="路灯\x00坏了", content="东门\x00路灯\ud800")
    IntakeEntry.objects.filter(pk=entry.pk).update(
        payload=seal(json.dumps(payload, ensure_ascii=True))
    )
    intake_entries_move_all()
    entry.refresh_from_db()
    assert entry.held_at is None
    assert entry.moved_at is not None
    assert Case.objects.get(tracking_code=code).title == "路灯坏了"


def test_ledger_export_survives_control_characters_already_stored(
    station: Any, county_staff: Any
) -> None:
    case, _pin = submitted(station)
    Case.objects.filter(pk=case.pk).update(title="路灯\x01坏了", content="东门\x1b路灯\x0c")
    from django.utils import timezone

    today = timezone.localdate()
    cases = ledger_cases(county_staff, date_from=today, date_to=today)
    data, count = ledger_xlsx(cases, mask=True, title="台账")
    assert count == 1
    assert data[:2] == b"PK"


# --- PIN guessing from many addresses ----------------------------------------------------------


def _wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_300_addresses_guessing_one_code_are_stopped_and_the_right_pin_then_fails(
    station: Any, station_officer: Any, other_county_staff: Any, as_user: Any
) -> None:
    case, pin = submitted(station, contact_phone="13800138000")
    for n in range(300):
        Client().get(f"{API}/{case.tracking_code}", HTTP_X_CASE_PIN=_wrong(pin),
                     REMOTE_ADDR=f"10.9.{n // 250}.{n % 250 + 1}")  # fmt: skip
    guard = PinGuard.objects.get(tracking_code=case.tracking_code)
    assert guard.locked_at is not None
    assert guard.failures == django_settings.PIN_GUARD_MAX_FAILURES
    # The right PIN fails everywhere now, from a fresh address: API, H5 form.
    api = Client().get(f"{API}/{case.tracking_code}", HTTP_X_CASE_PIN=pin, REMOTE_ADDR="10.8.0.1")
    assert api.status_code == 403
    assert "锁定" in api.json()["detail"]
    h5 = Client(REMOTE_ADDR="10.8.0.2").post(
        "/cases/track/", {"code": case.tracking_code, "pin": pin}
    )
    assert h5.status_code == 200
    assert "锁定" in h5.content.decode()
    # Another county's staff cannot reset it; the station's staff can, once, audited.
    assert (
        as_user(other_county_staff)
        .post(reverse("cases:act", args=[case.pk, "pin_reset"]))
        .status_code
        == 404
    )
    page = as_user(station_officer).post(reverse("cases:act", args=[case.pk, "pin_reset"]))
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    new_pin = re.search(r"<strong>(\d{6})</strong>", page.content.decode())
    assert new_pin is not None
    fresh = new_pin.group(1)
    from liaison.audit.models import AuditEvent

    assert AuditEvent.objects.filter(note="重置查询密码").count() == 1
    assert not PinGuard.objects.filter(tracking_code=case.tracking_code).exists()
    ok = Client().get(f"{API}/{case.tracking_code}", HTTP_X_CASE_PIN=fresh, REMOTE_ADDR="10.8.0.3")
    assert ok.status_code == 200
    case.refresh_from_db()
    assert not case_pin_matches(case=case, pin=pin) or pin == fresh


def test_guessing_on_the_h5_page_from_many_addresses_locks_the_code_and_rating(
    station: Any, settings: Any
) -> None:
    case, pin = submitted(station)
    person = Client(REMOTE_ADDR="10.7.0.1")
    assert person.post("/cases/track/", {"code": case.tracking_code, "pin": pin}).status_code == 302
    for n in range(settings.PIN_GUARD_MAX_FAILURES):
        Client(REMOTE_ADDR=f"10.6.0.{n + 1}").post(
            "/cases/track/", {"code": case.tracking_code, "pin": _wrong(pin)}
        )
    # Rating through a session opened before the lock is refused too.
    from liaison.cases.tests.public_helpers import force_replied

    force_replied(case)
    response = person.post(
        f"/cases/track/{case.tracking_code}/rate/", {"rating": "satisfied", "version": 1}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.rating == ""


def test_the_sms_resend_gives_a_new_pin_to_the_phone_on_file_only(
    station: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("liaison.notifications.services.send_sms", lambda **k: sent.append(k))
    case, pin = submitted(station, contact_phone="13800138000")
    for n in range(10):
        Client(REMOTE_ADDR=f"10.5.0.{n + 1}").post(
            "/cases/track/", {"code": case.tracking_code, "pin": _wrong(pin)}
        )
    wrong_phone = Client().post(
        "/cases/track/pin/", {"code": case.tracking_code, "phone": "13900000000"}
    )
    assert wrong_phone.status_code == 302
    assert not sent
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/cases/track/pin/", {"code": case.tracking_code, "phone": "138 0013 8000"})
    assert len(sent) == 1
    assert "pin=" not in sent[0]["body"]
    fresh = sent[0]["secrets"][0]
    client = Client()
    response = client.post("/cases/track/", {"code": case.tracking_code, "pin": fresh})
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, data__pin_resent=True).count() == 1


def test_auditor_and_deputy_cannot_reset_a_pin(
    station: Any, auditor: Any, deputy_user: Any, as_user: Any
) -> None:
    case, _pin = submitted(station)
    for user in (auditor, deputy_user):
        response = as_user(user).post(reverse("cases:act", args=[case.pk, "pin_reset"]))
        assert response.status_code in (302, 403, 404)
        assert "<strong>" not in response.content.decode()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_pin_reset(case=case, actor=auditor)


# --- no PIN in any URL or log ------------------------------------------------------------------


def test_the_sms_link_carries_the_code_only(
    station: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("liaison.notifications.services.send_sms", lambda **k: sent.append(k))
    with django_capture_on_commit_callbacks(execute=True):
        _case, pin = submitted(station, contact_phone="13800138000")
    assert len(sent) == 1
    assert "pin=" not in sent[0]["body"]
    urls = re.findall(r"https?://\S+", sent[0]["body"])
    assert urls
    assert all(pin not in url for url in urls)


def test_the_api_lookup_refuses_a_pin_in_the_query_string(station: Any) -> None:
    case, pin = submitted(station)
    response = Client().get(f"{API}/{case.tracking_code}?pin={pin}")
    assert response.status_code == 400
    # Refused unread: not a failure, and not a success.
    assert not PinGuard.objects.exists()


def test_the_h5_page_does_not_take_a_pin_from_the_url(station: Any) -> None:
    case, pin = submitted(station)
    client = Client()
    response = client.get(f"/cases/track/{case.tracking_code}/", {"pin": pin})
    assert response["Location"] == f"/cases/track/?code={case.tracking_code}"
    assert client.get(f"/cases/track/{case.tracking_code}/").status_code == 302


def test_no_script_schema_or_benchmark_puts_a_pin_in_a_url() -> None:
    root = Path(django_settings.BASE_DIR)
    files = [*root.glob("static/js/*.js"), *root.glob("bench/*.py"), *root.glob("bench/*.lua")]
    assert files
    for path in files:
        assert "?pin=" not in path.read_text(encoding="utf-8"), path
    schema = Client().get("/api/schema/?format=json").json()
    lookup = schema["paths"]["/api/v1/public/cases/{tracking_code}"]
    params = [p for op in lookup.values() for p in op.get("parameters", [])]
    assert not [p for p in params if p["in"] == "query" and p["name"] == "pin"]
    assert "post" in lookup


# --- the REST throttle -------------------------------------------------------------------------


def test_rest_api_throttles_anonymous_callers_with_a_chinese_429(settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }
    client = Client()
    assert [client.get("/api/v1/regions/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/regions/")
    assert response.status_code == 429
    assert "频繁" in response.json()["detail"]
    assert response["Retry-After"]
    # A spoofed X-Forwarded-For is not a new address.
    assert client.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429


def test_rest_api_throttles_signed_in_callers_per_account(
    settings: Any, as_user: Any, county_staff: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "2/min"},
    }
    client = as_user(county_staff)
    codes = [client.get("/api/v1/stations/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_every_form_of_the_platform_refuses_control_characters() -> None:
    """No form class of the platform is left with Django's NUL-only check (the review's poison
    input reached a ledger through a channel nobody had guarded)."""
    import importlib
    import pkgutil

    from django import forms as django_forms

    import liaison
    from liaison.common.text import SafeTextFormMixin

    # Forms live in forms*, views* and admin modules (and their packages).
    for module in pkgutil.walk_packages(liaison.__path__, "liaison."):
        last = module.name.rsplit(".", 1)[-1]
        if ".tests" not in module.name and last.startswith(("forms", "views", "admin")):
            importlib.import_module(module.name)

    def subclasses(cls: Any) -> set[Any]:
        found: set[Any] = set(cls.__subclasses__())
        for sub in list(found):
            found |= subclasses(sub)
        return found

    unguarded = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in subclasses(django_forms.BaseForm)
        if cls.__module__.startswith("liaison.")
        and ".tests" not in cls.__module__
        and not issubclass(cls, SafeTextFormMixin)
        and any(isinstance(f, django_forms.CharField) for f in cls.base_fields.values())
    )
    assert unguarded == []


@pytest.mark.django_db
def test_django_admin_forms_refuse_control_characters_too(hunan: None) -> None:
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import get_resolver

    from liaison.accounts.models import Role
    from liaison.accounts.tests.factories import make_member
    from liaison.common.text import SafeTextFormMixin
    from liaison.regions.tests.factories import region

    assert get_resolver().url_patterns  # the admin classes are wrapped when the URLs load
    platform = make_member(Role.SYSTEM_ADMIN, region=region("430000000000"), username="platform")
    request = RequestFactory().get("/admin/")
    request.user = platform
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_change_permission(request):
            form_class = model_admin.get_form(request)
            assert issubclass(form_class, SafeTextFormMixin), model
