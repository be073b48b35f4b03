"""Two counties with a station, a deputy with points and a user of every role each: the world
of the points pages' permission matrices (the `world` fixture in conftest)."""

from __future__ import annotations

import datetime
from typing import Any

from liaison.accounts.models import Role
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory
from liaison.jobs.tests.matrix import TOWNSHIP, members_of_every_role
from liaison.points.rules import RuleKey
from liaison.points.services import points_sync
from liaison.points.sources import Fact
from liaison.stations.tests.factories import StationFactory

YEAR = datetime.date.today().year


def build_world(hand: Any) -> dict[str, Any]:
    """In each county a station, a deputy assigned there with points, and a user per role."""
    rows: dict[str, Any] = {}
    for county, township in TOWNSHIP.items():
        station = StationFactory(region_id=township)
        deputy = DeputyFactory(home_region_id=township, name=f"代表{county[:6]}")
        StationDeputyFactory(station=station, deputy=deputy)
        hand.put(Fact(deputy.pk, RuleKey.DUTY_REPORT, "hand", deputy.pk, datetime.date(YEAR, 1, 2),
                      label="向选民述职"))  # fmt: skip
        points_sync(deputy_ids=[deputy.pk], year=YEAR)
        users = members_of_every_role(county=county, station=station)
        DeputyFactory(user=users[Role.DEPUTY], home_region_id=township, name=f"本人{county[:6]}")
        rows[county] = {"station": station, "deputy": deputy, "users": users}
    return rows
