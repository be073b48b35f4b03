"""The deputy scope: the OR over three id sets (kept) and the UNION of the three ways in
(measured for issue 16, decision 0042) list the same deputies, and the county's deputies for a
case's assignment."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Q

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import Role
from liaison.accounts.scoping import Scope
from liaison.accounts.tests.factories import make_member
from liaison.deputies.models import Deputy, Seat, StationDeputy
from liaison.deputies.selectors import (
    _current_q,
    deputies_of_county,
    deputies_visible_to,
    deputy_list,
)
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "430121000000"  # 长沙县


def _union_scope_q(scope: Scope) -> Q:
    """The alternative, written out: pk IN (home UNION seats UNION current stations)."""
    if scope.is_empty:
        return Q(pk__in=[])
    home = Deputy.objects.filter(scope.q(region_field="home_region_id")).values("id")
    seats = Seat.objects.filter(scope.q(region_field="congress_id")).values("deputy_id")
    stations = StationDeputy.objects.filter(
        scope.q(region_field="station__region_id", station_path_field="station__path"),
        _current_q(),
    ).values("deputy_id")
    return Q(pk__in=home.union(seats, stations))


@pytest.fixture
def reachable(station: Any, other_station: Any) -> dict[str, Deputy]:
    """Deputies reached by 岳麓区 each way, twice over, and not at all."""
    by_home = DeputyFactory(home_region_id="430104002000")
    by_seat = DeputyFactory(home_region_id=OUTSIDE)
    SeatFactory(deputy=by_seat, congress_id="430104000000")
    by_station = DeputyFactory(home_region_id=OUTSIDE)
    StationDeputyFactory(deputy=by_station, station=station)
    every_way = DeputyFactory(home_region_id="430104000000")
    SeatFactory(deputy=every_way, congress_id="430104000000")
    StationDeputyFactory(deputy=every_way, station=station)
    left_station = DeputyFactory(home_region_id=OUTSIDE)
    StationDeputyFactory(deputy=left_station, station=station, ends_on=datetime.date(2024, 6, 30))
    outside = DeputyFactory(home_region_id=OUTSIDE)
    SeatFactory(deputy=outside, congress_id=OUTSIDE)
    StationDeputyFactory(deputy=outside, station=other_station)
    return {
        "home": by_home,
        "seat": by_seat,
        "station": by_station,
        "every way": every_way,
        "left the station": left_station,
        "outside": outside,
    }


def _users(station: Any, yuelu: Any, county_staff: Any) -> dict[str, Any]:
    return {
        "county": county_staff,
        "station": make_member(Role.LIAISON_OFFICER, station=station),
        "province": make_member(Role.CONGRESS_STAFF, region=yuelu.parent.parent),
        "nobody": make_member(Role.DEPUTY, station=station),
    }


def test_the_or_and_the_union_list_the_same_deputies(
    reachable: dict[str, Deputy], station: Any, yuelu: Any, county_staff: Any
) -> None:
    for who, user in _users(station, yuelu, county_staff).items():
        scope = capability_scope(user, Capability.VIEW_DEPUTIES)
        union = list(Deputy.objects.filter(_union_scope_q(scope)).order_by("pk"))
        kept = list(deputies_visible_to(user).order_by("pk"))
        assert kept == union, who  # same rows, none twice
        listed = [d.pk for d in deputy_list(user)]
        assert sorted(listed) == [d.pk for d in union], who


def test_each_way_in_reaches_the_county_and_only_it(
    reachable: dict[str, Deputy], station: Any, yuelu: Any, county_staff: Any
) -> None:
    seen = set(deputies_visible_to(county_staff))
    names = {name for name, deputy in reachable.items() if deputy in seen}
    assert names == {"home", "seat", "station", "every way"}
    # A station's officer reaches the deputies on duty there (and no one by region).
    officer = _users(station, yuelu, county_staff)["station"]
    at_station = {name for name, d in reachable.items() if d in set(deputies_visible_to(officer))}
    assert at_station == {"station", "every way"}


def test_a_cases_deputies_are_those_of_its_county(reachable: dict[str, Deputy]) -> None:
    county = set(deputies_of_county("430104002000"))
    assert {n for n, d in reachable.items() if d in county} == {
        "home",
        "seat",
        "station",
        "every way",
    }
