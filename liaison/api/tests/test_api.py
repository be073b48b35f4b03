from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from liaison.deputies.tests.factories import DeputyFactory, SeatFactory
from liaison.stations.models import StationStatus
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def test_regions_children_of_a_city(hunan: None) -> None:
    data = Client().get("/api/v1/regions/?parent=4301").json()
    names = {r["name"] for r in data["results"]}
    assert "岳麓区" in names
    assert "株洲市" not in names
    assert data["count"] == len(names) or data["next"]


def test_region_detail_accepts_short_codes(hunan: None) -> None:
    data = Client().get("/api/v1/regions/430104/").json()
    assert data == {
        "code": "430104000000",
        "name": "岳麓区",
        "level": "county",
        "parent_code": "430100000000",
    }


@pytest.mark.parametrize("query", ["level=planet", "parent=12x"])
def test_region_bad_filters_get_400_in_chinese(hunan: None, query: str) -> None:
    response = Client().get(f"/api/v1/regions/?{query}")
    assert response.status_code == 400


def test_anonymous_sees_only_public_stations(station: Any) -> None:
    StationFactory(name="已撤销的站", status=StationStatus.CLOSED)
    data = Client().get("/api/v1/stations/").json()
    names = [s["name"] for s in data["results"]]
    assert station.name in names
    assert "已撤销的站" not in names
    assert data["results"][0]["public_url"].startswith("/s/")


def test_station_region_filter_is_a_subtree(station: Any, other_station: Any) -> None:
    data = Client().get("/api/v1/stations/?region=430104").json()
    assert [s["code"] for s in data["results"]] == [station.code]
    response = Client().get("/api/v1/stations/?region=999999")
    assert response.status_code == 400
    assert "区划代码不存在" in response.json()["region"]


def test_staff_see_their_jurisdiction_including_suspended(
    as_user: Any, county_staff: Any, station: Any, other_station: Any
) -> None:
    StationFactory(name="暂停的站", status=StationStatus.SUSPENDED)
    data = as_user(county_staff).get("/api/v1/stations/").json()
    names = {s["name"] for s in data["results"]}
    assert names == {station.name, "暂停的站"}


def test_other_county_staff_get_404_for_our_station(
    as_user: Any, other_county_staff: Any, station: Any
) -> None:
    StationFactory(name="暂停的站", status=StationStatus.SUSPENDED, code="SABCDEFG")
    assert as_user(other_county_staff).get("/api/v1/stations/SABCDEFG/").status_code == 404


def test_deputies_never_expose_private_fields(hunan: None) -> None:
    deputy = DeputyFactory(mobile="13912345678", id_number="430104199001011234")
    SeatFactory(deputy=deputy)
    response = Client().get(f"/api/v1/deputies/{deputy.code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "13912345678" not in body
    assert "430104199001011234" not in body
    assert response.json()["seats"][0]["level"] == "county"


def test_deputies_list_is_scoped_for_staff(
    as_user: Any, county_staff: Any, other_county_staff: Any, hunan: None
) -> None:
    ours = DeputyFactory(name="岳麓代表", home_region_id="430104000000")
    DeputyFactory(name="长沙县代表", home_region_id="430121000000")
    names = {d["name"] for d in as_user(county_staff).get("/api/v1/deputies/").json()["results"]}
    assert names == {ours.name}
    other = as_user(other_county_staff)
    assert other.get(f"/api/v1/deputies/{ours.code}/").status_code == 404


def test_api_list_query_count_does_not_grow(
    hunan: None, django_assert_max_num_queries: Any
) -> None:
    for i in range(40):
        deputy = DeputyFactory(name=f"代表{i}")
        SeatFactory(deputy=deputy)
        StationFactory(name=f"站{i}")
    client = Client()
    with django_assert_max_num_queries(4):
        client.get("/api/v1/stations/")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/deputies/")


def test_schema_and_docs_are_served_offline(hunan: None) -> None:
    client = Client()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/stations/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn" not in docs.lower()
    assert "unpkg" not in docs.lower()
