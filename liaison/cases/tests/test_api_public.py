"""The public intake API: the contract outside checks rely on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from liaison.cases.models import Case, CaseEvent, EventKind
from liaison.cases.tests.public_helpers import SCRIPT, force_replied, fresh_cache, submitted
from liaison.stations.models import StationStatus
from liaison.stations.tests.factories import StationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
__all__ = ["fresh_cache"]

URL = "/api/v1/public/cases"


def payload(station: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "station_code": station.code,
        "kind": "complaint",
        "title": "夜间施工噪音扰民",
        "content": "某工地每晚施工到凌晨两点。",
        "contact_name": "李四",
        "contact_phone": "13900001111",
        "allow_publish": True,
        "client_token": "api-token-1",
    }
    body.update(overrides)
    return body


def lookup(code: str, pin: str, client: Client | None = None, **extra: Any) -> Any:
    """The status lookup as clients make it: the PIN in a header, never in the URL."""
    return (client or Client()).get(f"{URL}/{code}", HTTP_X_CASE_PIN=pin, **extra)


def post(body: dict[str, Any], client: Client | None = None, **extra: Any) -> Any:
    return (client or Client(enforce_csrf_checks=True)).post(
        URL, body, content_type="application/json", **extra
    )


@pytest.mark.parametrize("path", ["/api/v1/public/stations", "/api/v1/public/stations/"])
def test_stations_lists_public_stations_with_codes(station: Any, path: str) -> None:
    closed = StationFactory(status=StationStatus.CLOSED)
    response = Client().get(path)
    assert response.status_code == 200
    rows = response.json()
    codes = {row["code"] for row in rows}
    assert station.code in codes
    assert closed.code not in codes
    row = next(r for r in rows if r["code"] == station.code)
    assert row["name"] == station.name
    assert row["region_code"] == "430104002000"
    assert row["kind"] == "fixed"
    assert row["address"] == station.address


def test_stations_filter_by_region(station: Any, other_station: Any) -> None:
    codes = {r["code"] for r in Client().get("/api/v1/public/stations?region=430104").json()}
    assert codes == {station.code}
    assert Client().get("/api/v1/public/stations?region=999999").status_code == 400


def test_post_creates_case_and_returns_code_and_pin(station: Any) -> None:
    response = post(payload(station))
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(tracking_code=body["tracking_code"])
    assert len(body["pin"]) == 6
    assert body["created"] is True
    assert case.channel == "api"
    assert case.kind == "complaint"
    assert case.allow_publish
    assert case.consent_at is not None
    assert case.station == station


@pytest.mark.parametrize("path", [URL, URL + "/"])
def test_post_without_trailing_slash_or_with(station: Any, path: str) -> None:
    response = Client().post(path, payload(station), content_type="application/json")
    assert response.status_code == 201


def test_same_client_token_returns_same_code_and_creates_nothing(station: Any) -> None:
    first = post(payload(station)).json()
    before = (Case.objects.count(), CaseEvent.objects.count())
    again = post(payload(station, title="改了标题"))
    assert again.status_code == 201
    assert again.json() == {"tracking_code": first["tracking_code"], "pin": None, "created": False}
    assert (Case.objects.count(), CaseEvent.objects.count()) == before


def test_deputy_code_is_accepted(station: Any) -> None:
    from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory

    deputy = DeputyFactory(name="张代表")
    StationDeputyFactory(station=station, deputy=deputy)
    body = payload(station, deputy_code=deputy.code)
    del body["station_code"]
    response = post(body)
    assert response.status_code == 201
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.deputy == deputy
    assert case.station == station


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"station_code": "SZZZZZZZ"}, "station_code"),
        ({"station_code": "not-a-code"}, "station_code"),
        ({"station_code": ""}, "station_code"),
        ({"deputy_code": "DZZZZZZZ"}, "deputy_code"),
        ({"kind": "praise"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "字" * 101}, "title"),
        ({"content": "字" * 5001}, "content"),
        ({"content": "字" * 20000}, "content"),
        ({"contact_phone": "110"}, "contact_phone"),
        ({"consent": False}, "consent"),
    ],
)
def test_bad_input_is_400_with_chinese_field_messages(
    station: Any, overrides: dict[str, Any], field: str
) -> None:
    response = post(payload(station, **overrides))
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(errors[field]))
    assert Case.objects.count() == 0


def test_inactive_station_is_400(station: Any) -> None:
    station.status = StationStatus.SUSPENDED
    station.save()
    assert post(payload(station)).status_code == 400
    assert Case.objects.count() == 0


def test_malformed_json_is_400(station: Any) -> None:
    response = Client().post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_no_session_auth_and_no_csrf_needed(station: Any, county_staff: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_staff)
    response = post(payload(station), client=client)
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.created_by is None  # a logged-in browser does not turn this into staff intake


def test_status_with_pin_shows_public_timeline_only(station: Any) -> None:
    created = post(payload(station)).json()
    case = Case.objects.get(tracking_code=created["tracking_code"])
    CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor_role="system", note="内部备注")
    response = lookup(created["tracking_code"], created["pin"])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert [item["kind"] for item in body["timeline"]] == ["submitted"]
    item = body["timeline"][0]
    assert set(item) == {"at", "kind", "label", "note"}
    assert item["label"] == "提交"
    assert "内部备注" not in response.content.decode()


def test_status_shows_the_reply(station: Any) -> None:
    case, pin = submitted(station)
    force_replied(case, reply="已修复。")
    body = Client().get(f"{URL}/{case.tracking_code}/", HTTP_X_CASE_PIN=pin).json()
    assert body["status"] == "replied"
    assert body["reply"] == "已修复。"


def test_wrong_pin_and_unknown_code_are_the_same_404(station: Any) -> None:
    created = post(payload(station)).json()
    wrong = "000000" if created["pin"] != "000000" else "111111"
    a = lookup(created["tracking_code"], wrong)
    b = lookup("C99999999Z", created["pin"])
    c = Client().get(f"{URL}/{created['tracking_code']}")
    assert a.status_code == b.status_code == c.status_code == 404
    assert a.json() == b.json() == c.json()


def test_pin_guessing_is_rate_limited(station: Any, settings: Any) -> None:
    settings.PIN_GUARD_MAX_FAILURES = 100  # the per-address limit alone (test_pin_guard.py)
    case, pin = submitted(station)
    client = Client()
    wrong = "999999" if pin != "999999" else "888888"
    for _ in range(20):
        assert lookup(case.tracking_code, wrong, client).status_code == 404
    limited = lookup(case.tracking_code, pin, client)
    assert limited.status_code == 429
    assert "频繁" in limited.json()["detail"]
    assert limited["Retry-After"]
    # Another address is not affected.
    assert lookup(case.tracking_code, pin, client, REMOTE_ADDR="10.1.1.1").status_code == 200


def test_status_takes_the_pin_in_a_post_body(station: Any) -> None:
    case, pin = submitted(station)
    response = Client().post(f"{URL}/{case.tracking_code}", {"pin": pin}, "application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_status_refuses_a_pin_in_the_url_unread(station: Any) -> None:
    case, pin = submitted(station)
    response = Client().get(f"{URL}/{case.tracking_code}?pin={pin}")
    assert response.status_code == 400
    assert "X-Case-Pin" in response.json()["detail"]


def test_submission_burst_is_rate_limited(station: Any) -> None:
    for n in range(10):
        assert post(payload(station, client_token=f"t{n}")).status_code == 201
    response = post(payload(station, client_token="t-last"))
    assert response.status_code == 429
    assert "频繁" in response.json()["detail"]
    assert Case.objects.count() == 10


def test_script_tags_come_back_as_plain_json_text(station: Any) -> None:
    created = post(payload(station, title=SCRIPT, content=SCRIPT)).json()
    case = Case.objects.get(tracking_code=created["tracking_code"])
    assert case.title == SCRIPT
    response = lookup(case.tracking_code, created["pin"])
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_schema_documents_the_public_endpoints() -> None:
    schema = Client().get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/public/cases" in paths
    assert "/api/v1/public/cases/{tracking_code}" in paths
    assert "/api/v1/public/stations" in paths
    assert set(paths["/api/v1/public/cases"]["post"]["responses"]) >= {"201", "400", "429"}
