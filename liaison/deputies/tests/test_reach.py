"""The cheap province condition of the deputy list (decision 0047) reaches exactly the deputies of
the OR of decision 0042, for every kind of scope, including deputies living outside the province
reached only through a seat or only through a station; and the list's remembered total."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.deputies import reach, services
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import DeputyFilters, deputy_list, deputy_list_count
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.regions.models import Level, Region

pytestmark = pytest.mark.django_db

OUTSIDE_COUNTY = "430121000000"  # 长沙县, in the province


@pytest.fixture
def hubei(hunan: None) -> Region:
    return Region.objects.create(code="420000000000", name="湖北省", level=Level.PROVINCE)


@pytest.fixture
def deputies(station: Any, other_station: Any, hubei: Region) -> dict[str, Deputy]:
    """Deputies reached each way from 岳麓区 and from the province, and from neither."""
    made: dict[str, Deputy] = {}
    made["home in the county"] = DeputyFactory(home_region_id="430104002000")
    made["home elsewhere in the province"] = DeputyFactory(home_region_id=OUTSIDE_COUNTY)
    made["outside, seat only"] = DeputyFactory(home_region_id=hubei.code)
    SeatFactory(deputy=made["outside, seat only"], congress_id="430000000000")
    made["outside, county seat only"] = DeputyFactory(home_region_id=hubei.code)
    SeatFactory(deputy=made["outside, county seat only"], congress_id="430104000000")
    made["outside, station only"] = DeputyFactory(home_region_id=hubei.code)
    StationDeputyFactory(deputy=made["outside, station only"], station=station)
    made["outside, other county's station"] = DeputyFactory(home_region_id=hubei.code)
    StationDeputyFactory(deputy=made["outside, other county's station"], station=other_station)
    made["no home, seat only"] = DeputyFactory(home_region_id=None)
    SeatFactory(deputy=made["no home, seat only"], congress_id="430104000000")
    made["outside, left the station"] = DeputyFactory(home_region_id=hubei.code)
    StationDeputyFactory(
        deputy=made["outside, left the station"], station=station, ends_on=datetime.date(2024, 1, 1)
    )
    made["outside, not reached"] = DeputyFactory(home_region_id=hubei.code)
    SeatFactory(deputy=made["outside, not reached"], congress_id=hubei.code)
    made["no home, not reached"] = DeputyFactory(home_region_id=None)
    return made


def _users(station: Any, yuelu: Any) -> dict[str, Any]:
    return {
        "county": make_member(Role.CONGRESS_STAFF, region=yuelu),
        "city": make_member(Role.CONGRESS_STAFF, region=yuelu.parent),
        "province": make_member(Role.CONGRESS_STAFF, region=yuelu.parent.parent),
        "station": make_member(Role.LIAISON_OFFICER, station=station),
        "nobody": make_member(Role.DEPUTY, station=station),
    }


def _names(deputies: dict[str, Deputy], pks: Any) -> set[str]:
    found = set(pks)
    return {name for name, deputy in deputies.items() if deputy.pk in found}


def test_the_cheap_condition_lists_exactly_the_or(
    deputies: dict[str, Deputy], station: Any, yuelu: Any
) -> None:
    for who, user in _users(station, yuelu).items():
        scope = capability_scope(user, Capability.VIEW_DEPUTIES)
        old = set(Deputy.objects.filter(reach.or_q(scope)).values_list("pk", flat=True))
        new = set(Deputy.objects.filter(reach.scope_q(scope)).values_list("pk", flat=True))
        assert new == old, who
        listed = [d.pk for d in deputy_list(user)]
        assert len(listed) == len(set(listed)) == len(old), who  # none twice
        assert deputy_list_count(user) == len(old), who


def test_each_scope_reaches_whom_it_should(
    deputies: dict[str, Deputy], station: Any, yuelu: Any
) -> None:
    users = _users(station, yuelu)

    def reached(who: str) -> set[str]:
        return _names(deputies, (d.pk for d in deputy_list(users[who])))

    outside = {"outside, not reached", "no home, not reached", "outside, left the station"}
    assert reached("province") == set(deputies) - outside
    assert reached("county") == {
        "home in the county",
        "outside, county seat only",
        "outside, station only",
        "no home, seat only",
    }
    assert reached("station") == {"outside, station only"}
    assert reached("nobody") == set()


def test_the_province_takes_the_cheap_path_and_a_county_the_or(
    deputies: dict[str, Deputy], station: Any, yuelu: Any, monkeypatch: Any
) -> None:
    users = _users(station, yuelu)
    province = capability_scope(users["province"], Capability.VIEW_DEPUTIES)
    assert reach.wide_q(province) is not None
    county = capability_scope(users["county"], Capability.VIEW_DEPUTIES)
    with CaptureQueriesContext(connection) as queries:
        reach.scope_q(county)
    assert len(queries) == 0  # a county never probes
    # Too many deputies living outside: the OR, with the same result.
    monkeypatch.setattr(reach, "OUTSIDERS_MAX", 1)
    assert reach.wide_q(province) is None
    assert _names(deputies, (d.pk for d in deputy_list(users["province"]))) == {
        name for name in deputies if "not reached" not in name and "left" not in name
    }


def test_the_stations_arm_reaches_what_the_join_reached(
    deputies: dict[str, Deputy], station: Any, yuelu: Any
) -> None:
    """The assignments arm (`ANY(ARRAY(…))` on PostgreSQL, `IN (…)` on SQLite, decision 0055)
    holds the deputies the former join of assignments to stations held, for county, city,
    province, station and role-without-scope users, and for a county without stations."""
    from liaison.deputies.models import StationDeputy

    def joined(scope: Any) -> set[int]:
        rows = StationDeputy.objects.filter(
            scope.q(region_field="station__region_id", station_path_field="station__path"),
            reach.current_q(),
        )
        return set(rows.values_list("deputy_id", flat=True))

    users = _users(station, yuelu)
    empty = Region.objects.create(code="430199000000", name="无站区", level=Level.COUNTY)
    users["no stations"] = make_member(Role.CONGRESS_STAFF, region=empty)
    for who, user in users.items():
        scope = capability_scope(user, Capability.VIEW_DEPUTIES)
        if scope.is_empty:
            continue
        arm = set(reach._stations(scope).values_list("deputy_id", flat=True))
        assert arm == joined(scope), who
    county = capability_scope(users["county"], Capability.VIEW_DEPUTIES)
    county_arm = reach._stations(county).values_list("deputy_id", flat=True)
    assert _names(deputies, county_arm) == {"outside, station only"}
    assert [d.pk for d in deputy_list(users["no stations"])] == []


def test_a_deputy_added_outside_after_the_check_is_not_listed(
    deputies: dict[str, Deputy], station: Any, yuelu: Any, hubei: Region
) -> None:
    province = capability_scope(_users(station, yuelu)["province"], Capability.VIEW_DEPUTIES)
    condition = reach.scope_q(province)
    late = DeputyFactory(home_region_id=hubei.code)
    assert not Deputy.objects.filter(condition, pk=late.pk).exists()


def test_the_province_lists_with_a_constant_number_of_queries(
    station: Any, yuelu: Any, hubei: Region
) -> None:
    province = _users(station, yuelu)["province"]

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            list(deputy_list(province)[:25])
            deputy_list_count(province)
        return len(queries)

    DeputyFactory(home_region_id=hubei.code)
    StationDeputyFactory(deputy=DeputyFactory(home_region_id=hubei.code), station=station)
    SeatFactory(deputy=DeputyFactory(home_region_id="430104002000"), congress_id="430104000000")
    queries_for_a_page()  # the user's memberships are read once, then kept on the user
    few = queries_for_a_page()
    for _ in range(30):
        deputy = DeputyFactory(home_region_id="430104002000")
        SeatFactory(deputy=deputy, congress_id="430104000000")
        StationDeputyFactory(deputy=DeputyFactory(home_region_id=hubei.code), station=station)
    assert queries_for_a_page() == few


def test_the_total_is_remembered_per_scope_and_filters(
    deputies: dict[str, Deputy],
    station: Any,
    yuelu: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.HOT_CACHE_SECONDS = 30
    users = _users(station, yuelu)
    county, province = users["county"], users["province"]
    assert deputy_list_count(county) == 4
    assert deputy_list_count(province) == 7  # not the county's remembered number
    assert deputy_list_count(province, DeputyFilters(name=deputies["no home, seat only"].name)) == 1
    DeputyFactory(home_region_id="430104002000")  # written directly: still remembered
    assert deputy_list_count(county) == 4
    # A deputy service clears it (after commit).
    other = make_member(Role.CONGRESS_STAFF, region=yuelu)
    with django_capture_on_commit_callbacks(execute=True):
        services.deputy_update(deputy=deputies["home in the county"], actor=other, name="改名代表")
    assert deputy_list_count(county) == 5
