"""Who sees which case, and with which roles they may act on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases.models import CoHandling, EventKind, Status
from liaison.cases.selectors import (
    actor_roles_for,
    case_get_for_user,
    cases_visible_to,
    public_timeline,
)
from liaison.cases.tests.factories import case_in
from liaison.deputies.tests.factories import DeputyFactory
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(station: Any, other_station: Any, unit: Any, co_unit: Any, deputy_user: Any) -> Any:
    """here: at the station; sub: at a sub-station; there: in 长沙县; co: co-handled by co_unit;
    to_deputy: addressed to the deputy, at another station of 长沙县."""
    sub_station = StationFactory(parent=station, region_id="430104002000")
    here = case_in(Status.ASSIGNED, station=station, unit=unit)
    sub = case_in(Status.SUBMITTED, station=sub_station)
    there = case_in(Status.SUBMITTED, station=other_station, region_id="430121001000")
    co = case_in(Status.ASSIGNED, station=station)
    CoHandling.objects.create(case=co, unit=co_unit)
    to_deputy = case_in(
        Status.SUBMITTED,
        station=other_station,
        region_id="430121001000",
        deputy=deputy_user.deputy,
    )
    return {"here": here, "sub": sub, "there": there, "co": co, "to_deputy": to_deputy}


def visible(user: Any, cases: dict[str, Any]) -> set[str]:
    ids = set(cases_visible_to(user).values_list("pk", flat=True))
    return {name for name, case in cases.items() if case.pk in ids}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("station_officer", {"here", "sub", "co"}),
        ("station_head", {"here", "sub", "co"}),
        ("county_staff", {"here", "sub", "co"}),
        ("other_county_staff", {"there", "to_deputy"}),
        ("system_admin", set()),  # 三权分立: administrators see no cases
        ("unit_clerk", {"here"}),
        ("co_clerk", {"co"}),
        ("other_clerk", set()),
        ("deputy_user", {"to_deputy"}),
        ("auditor", set()),
        ("security_admin", set()),
    ],
)
def test_visibility_by_role_and_scope(
    request: Any, cases: dict[str, Any], who: str, expected: set[str]
) -> None:
    assert visible(request.getfixturevalue(who), cases) == expected


def test_assigned_deputy_sees_the_case(cases: dict[str, Any], deputy_user: Any) -> None:
    cases["there"].assigned_deputy = deputy_user.deputy
    cases["there"].save()
    assert visible(deputy_user, cases) == {"to_deputy", "there"}


def test_deputy_without_role_sees_nothing(cases: dict[str, Any]) -> None:
    from liaison.accounts.tests.factories import UserFactory

    user = UserFactory()
    DeputyFactory(user=user)
    assert visible(user, cases) == set()


def test_get_for_user_is_404_outside_scope(
    cases: dict[str, Any], station_officer: Any, other_county_staff: Any
) -> None:
    assert case_get_for_user(station_officer, cases["here"].pk) == cases["here"]
    with pytest.raises(Http404):
        case_get_for_user(other_county_staff, cases["here"].pk)
    with pytest.raises(Http404):
        case_get_for_user(station_officer, 10**9)


def test_actor_roles(
    cases: dict[str, Any],
    station_officer: Any,
    county_staff: Any,
    unit_clerk: Any,
    co_clerk: Any,
    deputy_user: Any,
    system_admin: Any,
) -> None:
    here = cases["here"]
    assert actor_roles_for(station_officer, here) == {Role.LIAISON_OFFICER}
    assert actor_roles_for(county_staff, here) == {Role.CONGRESS_STAFF}
    assert actor_roles_for(unit_clerk, here) == {Role.HANDLING_UNIT}
    assert actor_roles_for(co_clerk, cases["co"]) == set()  # co-units only give their view
    assert actor_roles_for(system_admin, here) == set()  # neither sees nor acts
    assert actor_roles_for(deputy_user, cases["to_deputy"]) == {Role.DEPUTY}
    make_member(Role.STATION_HEAD, station=here.station, user=county_staff)
    both = type(county_staff).objects.get(pk=county_staff.pk)  # memberships are cached per user
    assert actor_roles_for(both, here) == {Role.CONGRESS_STAFF, Role.STATION_HEAD}


def test_visible_list_query_count_is_flat(
    cases: dict[str, Any], station_officer: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        list(cases_visible_to(station_officer).select_related("station"))


def test_public_timeline_has_public_events_only(station: Any, station_officer: Any) -> None:
    from liaison.cases import services

    case = case_in(Status.SUBMITTED, station=station)
    services.case_reveal_contact(case=case, actor=station_officer)
    services.case_accept(case=case, actor=station_officer)
    assert [e.kind for e in public_timeline(case)] == [EventKind.ACCEPTED]
