"""The station search box of long filters (issue 16): scoped lookup, server-side matching without
script, and the select kept where the list is short."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases.models import Channel, Status
from liaison.cases.tests.factories import case_in, make_unit_staff
from liaison.stations.search import stations_matching
from liaison.stations.tests.factories import StationFactory
from liaison.units.models import HandlingUnit

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/?queue=all"


@pytest.fixture
def province_staff(yuelu: Any) -> Any:
    return make_member(Role.CONGRESS_STAFF, region=yuelu.parent.parent)


@pytest.fixture
def pair(station: Any, other_station: Any) -> dict[str, Any]:
    """A second station in 岳麓区 with a similar name, and a case at each of the three."""
    sibling = StationFactory(name="岳麓街道第二联络站", region_id="430104002000")
    for where in (station, sibling, other_station):
        case_in(Status.SUBMITTED, channel=Channel.QR, station=where, region_id=where.region_id)
    return {"station": station, "sibling": sibling, "other": other_station}


def test_province_staff_get_a_search_box_and_county_staff_a_select(
    as_user: Any, province_staff: Any, county_staff: Any, pair: Any
) -> None:
    wide = as_user(province_staff).get(QUEUE).content.decode()
    assert "data-station-lookup" in wide
    assert f'<option value="{pair["other"].pk}"' not in wide
    narrow = as_user(county_staff).get(QUEUE).content.decode()
    assert "data-station-lookup" not in narrow
    assert f'<option value="{pair["station"].pk}"' in narrow


def test_lookup_answers_from_the_users_scope_only(
    as_user: Any, county_staff: Any, province_staff: Any, pair: Any
) -> None:
    url = reverse("stations:lookup")
    mine = as_user(county_staff).get(url, {"q": "街道"}).json()["results"]
    values = {r["value"] for r in mine}
    assert values == {
        f"{pair['station'].name} {pair['station'].code}",
        f"{pair['sibling'].name} {pair['sibling'].code}",
    }
    assert all("岳麓区" in r["label"] for r in mine)
    # Another county's station, even by its exact code, is not there for the county.
    assert as_user(county_staff).get(url, {"q": pair["other"].code}).json()["results"] == []
    wide = as_user(province_staff).get(url, {"q": pair["other"].code}).json()["results"]
    assert [r["value"].split()[-1] for r in wide] == [pair["other"].code]


def test_lookup_is_for_staff_who_may_view_stations(client: Any, as_user: Any, pair: Any) -> None:
    url = reverse("stations:lookup") + "?q=街道"
    assert client.get(url).status_code == 302  # to the login
    unit = HandlingUnit.objects.create(region_id="430104000000", name="区住建局")
    assert as_user(make_unit_staff(unit)).get(url).status_code == 403


def test_without_script_the_typed_text_is_matched_on_the_server(
    as_user: Any, province_staff: Any, pair: Any
) -> None:
    client = as_user(province_staff)

    def listed(text: str) -> set[str]:
        response = client.get(QUEUE, {"station": text})
        return {c.station.name for c in response.context["cases"]}

    assert listed(pair["other"].name) == {pair["other"].name}
    assert listed("第二") == {pair["sibling"].name}
    assert listed(f"随便写的 {pair['station'].code}") == {pair["station"].name}  # "name code"
    assert listed(str(pair["station"].pk)) == {pair["station"].name}  # links that carry the id
    # Several stations match: the page says so and lists everything, as without a filter.
    response = client.get(QUEUE, {"station": "街道"})
    assert "有多个联络站" in response.content.decode()
    assert len(response.context["cases"]) == 3
    assert "未找到该联络站" in client.get(QUEUE, {"station": "没有这个站"}).content.decode()


def test_the_deputy_list_takes_the_search_box_too(
    as_user: Any, province_staff: Any, pair: Any
) -> None:
    response = as_user(province_staff).get(reverse("deputies:list"), {"station": "第二"})
    assert response.status_code == 200
    assert "data-station-lookup" in response.content.decode()
    assert response.context["form"].cleaned_data["station"] == pair["sibling"]


def test_matching_prefers_the_exact_name_then_the_shortest(pair: Any) -> None:
    from liaison.stations.models import Station

    found = stations_matching(Station.objects.all(), pair["station"].name)
    assert found[0] == pair["station"]
    assert stations_matching(Station.objects.all(), "   ") == []
