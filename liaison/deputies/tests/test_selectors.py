from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.deputies import selectors
from liaison.deputies.selectors import DeputyFilters
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.regions.tests.factories import CHANGSHA, CHANGSHA_COUNTY, YUELU, YUELU_STREET, region

pytestmark = pytest.mark.django_db


def visible(user: Any) -> set[int]:
    return set(selectors.deputies_visible_to(user).values_list("pk", flat=True))


def test_county_staff_see_deputies_by_home_region(county_staff: Any) -> None:
    mine = DeputyFactory(home_region_id=YUELU_STREET)
    other = DeputyFactory(home_region_id=CHANGSHA_COUNTY)
    assert visible(county_staff) == {mine.pk}
    assert other.pk not in visible(county_staff)


def test_seat_congress_in_scope_makes_deputy_visible(other_county_staff: Any) -> None:
    deputy = DeputyFactory(home_region_id=YUELU)
    SeatFactory(deputy=deputy, congress_id=CHANGSHA_COUNTY)
    assert deputy.pk in visible(other_county_staff)


def test_deputy_with_many_seats_is_listed_once(county_staff: Any) -> None:
    deputy = DeputyFactory(home_region_id=YUELU)
    SeatFactory(deputy=deputy, congress_id=YUELU)
    SeatFactory(deputy=deputy, level="township", congress_id=YUELU_STREET)
    StationDeputyFactory(deputy=deputy)  # station in 岳麓街道 by default
    assert list(selectors.deputies_visible_to(county_staff)) == [deputy]
    assert selectors.deputy_list(county_staff).count() == 1


def test_station_officer_sees_deputies_of_own_station_only(
    station_officer: Any, station: Any, other_station: Any
) -> None:
    here = StationDeputyFactory(station=station, deputy__home_region_id=CHANGSHA).deputy
    elsewhere = StationDeputyFactory(station=other_station).deputy
    ended = StationDeputyFactory(station=station, ends_on=datetime.date(2024, 6, 1)).deputy
    assert visible(station_officer) == {here.pk}
    assert elsewhere.pk not in visible(station_officer)
    assert ended.pk not in visible(station_officer)


def test_region_staff_see_deputies_serving_at_stations_in_region(
    other_county_staff: Any, other_station: Any
) -> None:
    deputy = StationDeputyFactory(station=other_station, deputy__home_region_id=CHANGSHA).deputy
    assert deputy.pk in visible(other_county_staff)


def test_roles_without_deputy_access_see_nothing(auditor: Any, security_admin: Any) -> None:
    DeputyFactory(home_region_id=YUELU)
    assert visible(auditor) == set()
    assert visible(security_admin) == set()


def test_get_for_user_raises_404_outside_scope(county_staff: Any, other_county_staff: Any) -> None:
    deputy = DeputyFactory(home_region_id=YUELU)
    assert selectors.deputy_get_for_user(county_staff, deputy.pk) == deputy
    with pytest.raises(Http404):
        selectors.deputy_get_for_user(other_county_staff, deputy.pk)


def test_public_get_returns_active_deputy_with_current_rows(station: Any) -> None:
    deputy = DeputyFactory()
    SeatFactory(deputy=deputy)
    SeatFactory(
        deputy=deputy,
        term=17,
        ends_on=datetime.date(2021, 11, 30),
        starts_on=datetime.date(2016, 12, 1),
    )
    StationDeputyFactory(deputy=deputy, station=station)
    found = selectors.deputy_public_get(deputy.code)
    assert [s.term for s in found.public_seats] == [18]
    assert [a.station for a in found.public_assignments] == [station]


@pytest.mark.parametrize("code", ["", "X1234567", "D0000000", "D123", "../etc"])
def test_public_get_rejects_malformed_codes(hunan: None, code: str) -> None:
    with pytest.raises(Http404):
        selectors.deputy_public_get(code)


def test_public_get_hides_inactive_deputies(hunan: None) -> None:
    deputy = DeputyFactory(is_active=False)
    with pytest.raises(Http404):
        selectors.deputy_public_get(deputy.code)


def test_list_filters(county_staff: Any, station: Any) -> None:
    township = SeatFactory(level="township", congress_id=YUELU_STREET, deputy__name="甲").deputy
    county = SeatFactory(deputy__name="乙").deputy
    inactive = DeputyFactory(name="丙", is_active=False)
    StationDeputyFactory(deputy=county, station=station)

    def names(**kw: Any) -> list[str]:
        return [d.name for d in selectors.deputy_list(county_staff, DeputyFilters(**kw))]

    assert names() == ["丙", "乙", "甲"]
    assert names(level="township") == [township.name]
    assert names(region=region(YUELU_STREET)) == [township.name]
    assert names(station=station) == [county.name]
    assert names(active=False) == [inactive.name]
    assert set(names(active=True)) == {"甲", "乙"}
    assert names(name="乙") == ["乙"]


def test_assignable_stations_for_station_head(
    station_head: Any, station: Any, other_station: Any
) -> None:
    assert list(selectors.stations_assignable_by(station_head)) == [station]


def test_assignable_stations_for_county_staff(
    county_staff: Any, station: Any, other_station: Any
) -> None:
    assert list(selectors.stations_assignable_by(county_staff)) == [station]


def test_congress_regions_include_ancestors(county_staff: Any) -> None:
    codes = set(selectors.congress_regions_for(county_staff).values_list("code", flat=True))
    assert {YUELU, YUELU_STREET, CHANGSHA, "430000000000"} <= codes
    assert CHANGSHA_COUNTY not in codes


def test_station_officer_cannot_manage_regions(station_officer: Any) -> None:
    assert not selectors.regions_manageable_by(station_officer).exists()
    make_member(Role.CONGRESS_STAFF, region=region(YUELU), user=station_officer)
    station_officer.__dict__.pop("_liaison_memberships", None)
    assert selectors.regions_manageable_by(station_officer).filter(code=YUELU).exists()
