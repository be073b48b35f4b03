"""Similar open cases on the staff case page, and the hot-topics page: roles and scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.cases.models import Status
from liaison.cases.similar import clear_cache, similar_open_cases
from liaison.cases.tests.factories import CaseFactory, HandlingUnitFactory, make_unit_staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("liaison.insights.tests.urls")]

NOISE = "枫林小区旁工地每天夜里施工到凌晨，噪音严重扰民，居民无法休息，请求查处。"
CHANGSHA_COUNTY_STREET = "430121001000"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def _noise_case(**kw: Any) -> Any:
    return CaseFactory(title="A3区枫林小区夜间施工噪音扰民", content=NOISE, **kw)


def test_similar_cases_are_open_and_in_the_same_county(yuelu: Any, changsha_county: Any) -> None:
    case = _noise_case()
    twin = _noise_case()
    closed = _noise_case(status=Status.CLOSED)
    elsewhere = _noise_case(region_id=CHANGSHA_COUNTY_STREET)
    CaseFactory(title="医院停车难", content="停车位太少")
    found = [s.case.pk for s in similar_open_cases(case)]
    assert found == [twin.pk]
    assert closed.pk not in found
    assert elsewhere.pk not in found


def test_case_page_shows_similar_with_merge_form(county_staff: Any, as_user: Any) -> None:
    case = _noise_case()
    twin = _noise_case()
    response = as_user(county_staff).get(reverse("cases:detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="similar-cases"' in body
    assert twin.tracking_code in body
    assert reverse("cases:act", args=[case.pk, "merge"]) in body


def test_station_officer_sees_only_cases_of_own_station(
    station: Any, other_station: Any, station_officer: Any, as_user: Any
) -> None:
    case = _noise_case(station=station)
    hidden = _noise_case(station=None)  # same county, outside the station's scope
    body = as_user(station_officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert hidden.tracking_code not in body


def test_other_county_staff_never_sees_outside_cases(
    county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    theirs = _noise_case(region_id=CHANGSHA_COUNTY_STREET)
    ours = _noise_case()
    body = as_user(other_county_staff).get(reverse("cases:detail", args=[theirs.pk])).content
    assert ours.tracking_code not in body.decode()
    assert (
        as_user(other_county_staff).get(reverse("cases:detail", args=[ours.pk])).status_code == 404
    )


def _topic_cases(region_id: str = "430104002000") -> list[Any]:
    cases = [_noise_case(region_id=region_id) for _ in range(3)]
    cases += [
        CaseFactory(
            title=f"蓓蕾小学违规收取补课费{i}",
            content="蓓蕾小学要求每个学生交八百元补课费，不交不让上课。",
            region_id=region_id,
        )
        for i in range(2)
    ]
    return cases


def test_hot_topics_page_ranks_and_links_cases(county_staff: Any, as_user: Any) -> None:
    cases = _topic_cases()
    client = as_user(county_staff)
    response = client.get(reverse("insights:hot_topics"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "枫林小区" in body
    assert "蓓蕾小学" in body
    assert body.index("枫林小区") < body.index("蓓蕾小学")
    for case in cases:
        assert reverse("cases:detail", args=[case.pk]) in body


def test_hot_topics_query_count_does_not_grow(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    _topic_cases()
    client.get(reverse("insights:hot_topics"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("insights:hot_topics"))
    for i in range(4):
        for _ in range(2):
            CaseFactory(title=f"第{i}号小区电梯故障", content=f"翠{i}园小区电梯经常停运困人")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("insights:hot_topics"))
    assert len(many) == len(few)


def test_hot_topics_scope_and_roles(
    other_county_staff: Any, station_officer: Any, as_user: Any
) -> None:
    _topic_cases()
    unit_clerk = make_unit_staff(HandlingUnitFactory(), username="clerk")
    body = as_user(other_county_staff).get(reverse("insights:hot_topics")).content.decode()
    assert "枫林小区" not in body
    assert as_user(unit_clerk).get(reverse("insights:hot_topics")).status_code == 403
    response = as_user(station_officer).get(reverse("insights:hot_topics"), {"month": "bad"})
    assert response.status_code == 200
