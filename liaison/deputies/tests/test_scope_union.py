"""The deputy scope as a UNION of the three ways in gives what the OR over three id sets gave."""

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
from liaison.deputies.selectors import _current_q, deputies_visible_to, deputy_list
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "430121000000"  # 长沙县


def _old_scope_q(scope: Scope) -> Q:
    """The filter before issue 16, written out: home region OR seat IN OR station IN."""
    if scope.is_empty:
        return Q(pk__in=[])
    seats = Seat.objects.filter(scope.q(region_field="congress_id")).values("deputy_id")
    stations = StationDeputy.objects.filter(
        scope.q(region_field="station__region_id", station_path_field="station__path"),
        _current_q(),
    ).values("deputy_id")
    return scope.q(region_field="home_region_id") | Q(pk__in=seats) | Q(pk__in=stations)


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


def test_union_lists_the_same_deputies_as_the_or(
    reachable: dict[str, Deputy], station: Any, yuelu: Any, county_staff: Any
) -> None:
    for who, user in _users(station, yuelu, county_staff).items():
        scope = capability_scope(user, Capability.VIEW_DEPUTIES)
        old = list(Deputy.objects.filter(_old_scope_q(scope)).order_by("pk"))
        new = list(deputies_visible_to(user).order_by("pk"))
        assert new == old, who  # same rows, none twice
        listed = [d.pk for d in deputy_list(user)]
        assert sorted(listed) == [d.pk for d in old], who


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
