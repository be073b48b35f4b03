from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404

from liaison.deputies.models import DeputyLevel
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.regions.models import Region
from liaison.stations import selectors
from liaison.stations.models import StationStatus
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def test_county_staff_see_their_county_only(
    county_staff: Any, station: Any, other_station: Any
) -> None:
    visible = set(selectors.stations_visible_to(county_staff))
    assert station in visible
    assert other_station not in visible


def test_other_county_staff_see_their_own(
    other_county_staff: Any, station: Any, other_station: Any
) -> None:
    assert list(selectors.stations_visible_to(other_county_staff)) == [other_station]


def test_station_officer_sees_own_subtree_only(
    station_officer: Any, station: Any, child_station: Any, sibling_station: Any
) -> None:
    visible = set(selectors.stations_visible_to(station_officer))
    assert visible == {station, child_station}


def test_admin_powers_other_than_system_admin_see_nothing(
    auditor: Any, security_admin: Any, station: Any
) -> None:
    assert not selectors.stations_visible_to(auditor).exists()
    assert not selectors.stations_visible_to(security_admin).exists()


def test_get_for_user_raises_404_outside_scope(other_county_staff: Any, station: Any) -> None:
    with pytest.raises(Http404):
        selectors.station_get_for_user(other_county_staff, station.pk)


def test_public_excludes_suspended_and_closed(station: Any, sibling_station: Any) -> None:
    StationFactory(status=StationStatus.CLOSED)
    sibling_station.status = StationStatus.SUSPENDED
    sibling_station.save()
    assert list(selectors.stations_public()) == [station]


def test_public_get_refuses_malformed_and_inactive(station: Any) -> None:
    assert selectors.station_public_get(station.code) == station
    with pytest.raises(Http404):
        selectors.station_public_get("S0OIL")
    station.status = StationStatus.SUSPENDED
    station.save()
    with pytest.raises(Http404):
        selectors.station_public_get(station.code)


def test_directory_filters_by_region_subtree_and_name(
    station: Any, other_station: Any, sibling_station: Any
) -> None:
    yuelu = Region.objects.get(code="430104000000")
    assert set(selectors.stations_public_directory(region=yuelu, text="")) == {
        station,
        sibling_station,
    }
    assert list(selectors.stations_public_directory(region=None, text="望月湖")) == [
        sibling_station
    ]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("430104", "430104000000"),
        ("430104002000", "430104002000"),
        ("43", "430000000000"),
        ("abc", ""),
        ("4301040", ""),
    ],
)
def test_normalize_region_code(raw: str, code: str) -> None:
    assert selectors.normalize_region_code(raw) == code


def test_region_labels_in_one_query(django_assert_num_queries: Any, hunan: None) -> None:
    with django_assert_num_queries(1):
        labels = selectors.region_labels({"430104002000", "430121001000"})
    assert labels["430104002000"] == "湖南省 / 长沙市 / 岳麓区 / 岳麓街道"
    assert labels["430121001000"] == "湖南省 / 长沙市 / 长沙县 / 星沙街道"


def test_station_deputies_lists_current_assignments_with_levels(station: Any) -> None:
    current = DeputyFactory(name="刘代表")
    SeatFactory(deputy=current, level=DeputyLevel.CITY, congress_id="430100000000")
    SeatFactory(deputy=current, level=DeputyLevel.COUNTY)
    SeatFactory(
        deputy=current,
        level=DeputyLevel.TOWNSHIP,
        congress_id="430104002000",
        ends_on=datetime.date(2021, 12, 31),
        starts_on=datetime.date(2017, 1, 1),
        term=17,
    )
    StationDeputyFactory(station=station, deputy=current)
    StationDeputyFactory(station=station, ends_on=datetime.date(2024, 6, 1))
    StationDeputyFactory(station=station, deputy=DeputyFactory(is_active=False))
    rows = selectors.station_deputies(station)
    assert [r.name for r in rows] == ["刘代表"]
    assert rows[0].levels == ["市人大代表", "县（区）人大代表"]
    assert rows[0].url == f"/d/{current.code}/"


def test_station_deputies_query_count_does_not_grow(
    station: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(8):
        StationDeputyFactory(station=station, deputy=SeatFactory().deputy)
    with django_assert_max_num_queries(2):
        assert len(selectors.station_deputies(station)) == 8


def test_public_code_kind(station: Any) -> None:
    deputy = DeputyFactory()
    assert selectors.public_code_kind(station.code) == "station"
    assert selectors.public_code_kind(deputy.code) == "deputy"
    assert selectors.public_code_kind("S2222222") == ""
    assert selectors.public_code_kind("X" * 8) == ""
    assert selectors.public_code_kind("../../etc") == ""


def test_without_the_deputies_app_a_station_lists_none_and_d_codes_lead_nowhere(
    station: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the station pages get when no app above them handed in its deputies (layers, 0014).
    monkeypatch.setattr(selectors, "_station_deputies", lambda station, today: [])
    monkeypatch.setattr(selectors, "_public_codes", {})
    deputy = DeputyFactory()
    assert selectors.station_deputies(station) == []
    assert selectors.public_code_kind(deputy.code) == ""
    assert selectors.public_code_kind(station.code) == "station"


def test_the_deputies_app_resolves_its_sign_codes(station: Any) -> None:
    deputy = DeputyFactory()
    assert selectors.public_code_kind(deputy.code) == "deputy"
    assert selectors.public_code_url(deputy.code).endswith(f"/d/{deputy.code}/")
    assert selectors.public_code_url(station.code).endswith(f"/s/{station.code}/")
