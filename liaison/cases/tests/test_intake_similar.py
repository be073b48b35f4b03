"""The intake form's similar-cases panel: the fragment endpoint, its scope, roles and cost."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.cases.models import Status
from liaison.cases.similar import clear_cache
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, make_unit_staff
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

URL = reverse("cases:intake_similar")
TITLE = "A3区枫林小区夜间施工噪音扰民"
NOISE = "枫林小区旁工地每天夜里施工到凌晨，噪音严重扰民，居民无法休息，请求查处。"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _noise_case(**kw: Any) -> Any:
    return CaseFactory(title=TITLE, content=NOISE, **kw)


def _ask(client: Any, station: Any, **kw: str) -> str:
    params = {"station": str(station.pk), "title": TITLE, "content": NOISE, **kw}
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_intake_page_has_the_panel_and_script(county_staff: Any, as_user: Any) -> None:
    body = as_user(county_staff).get(reverse("cases:intake")).content.decode()
    assert 'id="intake-similar"' in body
    assert URL in body
    assert "js/intake_similar.js" in body


def test_shows_open_look_alikes_of_the_county_with_links(
    county_staff: Any, station: Any, as_user: Any
) -> None:
    twin = _noise_case(station=station)
    closed = _noise_case(status=Status.CLOSED)
    CaseFactory(title="医院停车难", content="停车位太少")
    body = _ask(as_user(county_staff), station)
    assert twin.tracking_code in body
    assert reverse("cases:detail", args=[twin.pk]) in body
    assert closed.tracking_code not in body


def test_same_place_typed_in_the_place_field_counts(
    county_staff: Any, station: Any, as_user: Any
) -> None:
    twin = CaseFactory(title="夜间施工噪音", content="工地每天夜里施工到凌晨，吵得无法休息。",
                       place="枫林小区")  # fmt: skip
    body = _ask(
        as_user(county_staff),
        station,
        title="夜间施工噪音",
        content="每天夜里工地施工到凌晨，无法休息。",
        place="枫林小区",
    )
    assert twin.tracking_code in body


def test_at_most_five(county_staff: Any, station: Any, as_user: Any) -> None:
    cases = [_noise_case() for _ in range(8)]
    body = _ask(as_user(county_staff), station)
    assert sum(c.tracking_code in body for c in cases) == 5


def test_empty_and_hint_states(county_staff: Any, station: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    assert "未发现疑似相同事项的在办意见" in _ask(client, station)
    assert "填写标题或内容后" in _ask(client, station, title="噪音", content="")
    # With several stations in scope, which county is meant depends on the station chosen.
    StationFactory(name="桔子洲街道人大代表联络站", region_id="430104003000")
    assert "选择联络站" in client.get(URL, {"title": TITLE, "content": NOISE}).content.decode()


def test_other_county_staff_never_see_this_county(
    other_county_staff: Any, station: Any, other_station: Any, as_user: Any
) -> None:
    ours = _noise_case(station=station)
    client = as_user(other_county_staff)
    # Naming a station outside their scope gives nothing; their own station, their county only.
    assert ours.tracking_code not in _ask(client, station)
    assert ours.tracking_code not in _ask(client, other_station)


def test_station_officer_sees_only_own_station_and_needs_no_station_choice(
    station: Any, station_officer: Any, as_user: Any
) -> None:
    mine = _noise_case(station=station)
    hidden = _noise_case(station=None)  # same county, outside the station's scope
    body = as_user(station_officer).get(URL, {"title": TITLE, "content": NOISE}).content.decode()
    assert mine.tracking_code in body
    assert hidden.tracking_code not in body


def test_roles_without_intake_are_refused(system_admin: Any, as_user: Any) -> None:
    clerk = make_unit_staff(HandlingUnitFactory(), username="clerk")
    assert as_user(clerk).get(URL).status_code == 403
    assert as_user(system_admin).get(URL).status_code == 403


def test_query_count_does_not_grow(county_staff: Any, station: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    _noise_case()
    _ask(client, station)
    with CaptureQueriesContext(connection) as few:
        _ask(client, station)
    for _ in range(6):
        _noise_case()
    _ask(client, station)  # a new case rebuilds the county index once
    with CaptureQueriesContext(connection) as many:
        _ask(client, station)
    assert len(many) == len(few)
