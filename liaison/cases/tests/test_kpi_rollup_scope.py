"""The KPI rollup in every role's scope (two counties), and the KPI page and the staff home in
a constant number of queries whatever the number of cases (decision 0045)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import Role, User
from liaison.accounts.tests.factories import make_member
from liaison.cases.kpis import kpi_cases, kpis_for, kpis_live
from liaison.cases.models import Status
from liaison.cases.services.kpi_rollup import kpi_rollup_sweep
from liaison.cases.tests.factories import case_in, make_unit_staff
from liaison.deputies.tests.factories import DeputyFactory
from liaison.units.models import HandlingUnit

pytestmark = pytest.mark.django_db

# Who opens the KPI page: the roles that work on cases (Capability.WORK_CASES).
KPI_ROLES = (Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF)


def _people(station: Any) -> dict[str, User]:
    county = station.region.parent
    people = {role: make_member(role, station=station) for role in KPI_ROLES[:2]}
    people[Role.CONGRESS_STAFF] = make_member(Role.CONGRESS_STAFF, region=county)
    people[Role.HANDLING_UNIT] = make_unit_staff(
        HandlingUnit.objects.create(region=county, name=f"{county.name}水务局")
    )
    people[Role.DEPUTY] = make_member(Role.DEPUTY, station=station)
    DeputyFactory(user=people[Role.DEPUTY])
    return people


def _cases(station: Any, n: int) -> None:
    for i in range(n):
        status = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.EVALUATED)[i % 4]
        case_in(status, station=station, region_id=station.region_id)


def test_every_role_of_two_counties_sees_its_own_figures(
    station: Any, other_station: Any, as_user: Any
) -> None:
    counties = {"yuelu": (station, 3), "changsha": (other_station, 5)}
    people = {name: _people(s) for name, (s, _n) in counties.items()}
    for s, n in counties.values():
        _cases(s, n)
    kpi_rollup_sweep()
    url = reverse("cases:kpis")
    for name, (_s, n) in counties.items():
        for role, user in people[name].items():
            response = as_user(user).get(url)
            if role not in KPI_ROLES:
                assert response.status_code == 403, (name, role)
                continue
            assert response.status_code == 200, (name, role)
            assert response.context["k"].total == n, (name, role)
            assert kpis_for(user) == kpis_live(kpi_cases(user), timezone.localdate())


def test_an_officer_who_is_also_a_deputy_is_counted_live(station: Any, other_station: Any) -> None:
    officer = make_member(Role.LIAISON_OFFICER, station=station)
    make_member(Role.DEPUTY, station=station, user=officer)
    deputy = DeputyFactory(user=officer)
    _cases(station, 2)
    # A case addressed to them in another county: in their view, on no place of their scope.
    case_in(
        Status.ACCEPTED, station=other_station, region_id=other_station.region_id, deputy=deputy
    )
    kpi_rollup_sweep()
    assert kpis_for(officer).total == 3
    assert kpis_for(officer).accepted == 1 + 1


@pytest.mark.parametrize("who", ["county", "officer", "province"])
def test_kpi_page_and_home_read_a_constant_number_of_queries(
    who: str, station: Any, county_staff: User, yuelu: Any, as_user: Any
) -> None:
    user = {
        "county": county_staff,
        "officer": make_member(Role.LIAISON_OFFICER, station=station),
        "province": make_member(Role.CONGRESS_STAFF, region=yuelu.parent.parent),
    }[who]
    client = as_user(user)
    counts: list[tuple[int, int]] = []
    client.get(reverse("workbench:home"))  # the session's first save is behind us
    for n in (4, 40):
        _cases(station, n)
        kpi_rollup_sweep()
        pages = []
        for url in (reverse("cases:kpis"), reverse("workbench:home")):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            pages.append(len(queries))
        counts.append((pages[0], pages[1]))
    assert counts[0] == counts[1]
    assert max(counts[1]) <= 12  # STAFF_BUDGET of test_page_budgets.py


def test_kpi_page_says_how_fresh_the_figures_are(
    station: Any, county_staff: User, as_user: Any
) -> None:
    _cases(station, 2)
    client = as_user(county_staff)
    assert "数据截至" not in client.get(reverse("cases:kpis")).content.decode()  # counted live
    kpi_rollup_sweep()
    body = client.get(reverse("cases:kpis")).content.decode()
    assert "数据截至" in body and "逾期未答复件为实时数" in body
