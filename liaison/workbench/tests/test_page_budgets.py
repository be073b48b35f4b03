"""Query budgets of the pages people open most (issue 16): public ≤ 6, staff ≤ 12.

Every page the issue lists is measured with a little data and again with more than a page of it,
for every kind of user and scope (a station's officer and head, a deputy, a county, the province,
a handling unit), so that a page whose queries grow with its rows or its scope fails here. The
per-process caches run as in production (the test settings turn them off elsewhere); the first
request of each page warms them. The shared cache of whole public pages stays off: what is
measured is the page as it is built when that cache has expired (decision 0041).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.accounts.models import Role
from liaison.accounts.tests.factories import make_member
from liaison.cases.models import Case, Channel, Status
from liaison.cases.tests.factories import case_in, make_unit_staff
from liaison.cases.views_h5 import SESSION_TRACKED
from liaison.common.hotcache import clear_all
from liaison.deputies.models import Deputy
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.stations.tests.factories import StationFactory
from liaison.units.models import HandlingUnit

PUBLIC_BUDGET = 6
# Pages under the budget keep what they reached (decision 0048): their rarely changing parts come
# from the per-process caches; what is left is the visitor's session and the page's own list.
# The tracking page: the session, the case (only the columns it shows: a deferred one would be a
# query more), its public events and the probe for suggestions naming it.
PUBLIC_PAGE_BUDGETS = {
    "home": 0,
    "station": 0,
    "deputy": 0,
    "form": 0,
    "directory": 2,
    "echo": 1,
    "tracking page": 4,
}
STAFF_BUDGET = 12

STATUSES = [Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.REPLIED, Status.CLOSED]
ROUNDS = (1, 25)  # more than a page of cases (20) and of deputies in the bigger one


@pytest.fixture(autouse=True)
def _production_caches(settings: Any) -> Iterator[None]:
    settings.HOT_CACHE_SECONDS = 30
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    clear_all()
    yield
    clear_all()


def _populate(*, station: Any, unit: HandlingUnit, rounds: int) -> None:
    """`rounds` times: a sub-station, a deputy at the station, a case in each status."""
    for i in range(rounds):
        StationFactory(parent=station, region_id=station.region_id, name=f"分站{i}")
        deputy = DeputyFactory()
        SeatFactory(deputy=deputy)
        StationDeputyFactory(station=station, deputy=deputy)
        for status in STATUSES:
            fields: dict[str, Any] = {"station": station, "region_id": station.region_id}
            if status in (Status.ASSIGNED, Status.REPLIED, Status.CLOSED):
                fields["unit"] = unit
            if status in (Status.REPLIED, Status.CLOSED):
                fields["allow_publish"] = True
            case_in(status, channel=Channel.QR, deputy=deputy, **fields)


def _queries(client: Any, url: str) -> tuple[int, int]:
    client.get(url)  # warms the per-process caches, as any earlier visitor would have
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


def _public_pages(station: Any, tracked: Case) -> dict[str, str]:
    deputy = Deputy.objects.first()
    assert deputy is not None
    return {
        "home": "/",
        "directory": reverse("h5:directory"),
        "directory of a county": reverse("h5:directory") + f"?region={station.region_id[:6]}",
        "station": reverse("h5:station", args=[station.code]),
        "deputy": reverse("deputies_h5:detail", args=[deputy.code]),
        "echo": reverse("cases_h5:echo"),
        "echo page 2": reverse("cases_h5:echo") + "?page=2",
        "tracking form": reverse("cases_h5:track"),
        "tracking page": reverse("cases_h5:track", args=[tracked.tracking_code]),
        "form": reverse("cases_h5:submit") + f"?station={station.code}",
    }


def _staff_pages() -> dict[str, str]:
    case = Case.objects.filter(status=Status.ASSIGNED).first()
    assert case is not None
    queue = reverse("cases:queue")
    return {
        "home": reverse("workbench:home"),
        "queue": queue,  # each role's own default: to accept, to me (deputy), handling (unit)
        "queue to assign": queue + "?queue=to_assign",
        "queue handling, page 2": queue + "?queue=handling&page=2",
        "queue all, station filter": queue + "?queue=all&station=" + str(case.station_id),
        "case": reverse("cases:detail", args=[case.pk]),
        "deputies": reverse("deputies:list"),
        "stations": reverse("stations:list"),
        "kpis": reverse("cases:kpis"),
        "units": reverse("units:list"),
        "deputy files": reverse("archives:index"),
        "station registers": reverse("archives:station_year"),
    }


@pytest.fixture
def people(station: Any, county_staff: Any, yuelu: Any, deputy_user: Any) -> dict[str, Any]:
    unit = HandlingUnit.objects.create(region=yuelu, name="区住建局")
    return {
        "unit": unit,
        "users": {
            "county staff": county_staff,
            "liaison officer": make_member(Role.LIAISON_OFFICER, station=station),
            "station head": make_member(Role.STATION_HEAD, station=station),
            "deputy": deputy_user,
            "unit staff": make_unit_staff(unit),
            "province staff": make_member(Role.CONGRESS_STAFF, region=yuelu.parent.parent),
        },
    }


@pytest.mark.parametrize("rounds", ROUNDS)
def test_public_pages_stay_within_budget(
    client: Any, station: Any, people: Any, rounds: int
) -> None:
    _populate(station=station, unit=people["unit"], rounds=rounds)
    tracked = Case.objects.filter(status=Status.REPLIED).first()
    assert tracked is not None
    session = client.session  # the visitor has typed this case's code and PIN before
    session[SESSION_TRACKED] = [tracked.tracking_code]
    session.save()
    over = {}
    for name, url in _public_pages(station, tracked).items():
        status, count = _queries(client, url)
        assert status == 200, name
        if count > PUBLIC_PAGE_BUDGETS.get(name, PUBLIC_BUDGET):
            over[name] = count
    assert over == {}


@pytest.mark.parametrize("rounds", ROUNDS)
def test_staff_pages_stay_within_budget(
    as_user: Any, station: Any, people: Any, rounds: int
) -> None:
    _populate(station=station, unit=people["unit"], rounds=rounds)
    over = {}
    for who, user in people["users"].items():
        client = as_user(user)
        for name, url in _staff_pages().items():
            status, count = _queries(client, url)
            # A page the role may not open is refused, cheaply too.
            if count > STAFF_BUDGET:
                over[f"{who}: {name} ({status})"] = count
    assert over == {}
