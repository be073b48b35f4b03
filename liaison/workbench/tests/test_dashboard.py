"""Home page cards: a card's number is the number of rows on the list it links to, every role."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory
from liaison.stations.models import StationStatus
from liaison.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db

ROLES = ["county_staff", "other_county_staff", "station_officer", "station_head", "system_admin"]


@pytest.fixture
def directory(station: Any, other_station: Any) -> None:
    """Deputies reached in each of the ways the list reaches them, and stations in each status."""
    DeputyFactory(home_region_id="430104000000")  # home region
    DeputyFactory(home_region_id="430104000000", is_active=False)  # out of office
    SeatFactory(deputy=DeputyFactory(home_region_id="430100000000"))  # city home, county seat
    StationDeputyFactory(station=station, deputy=DeputyFactory(home_region_id="430121000000"))
    StationDeputyFactory(station=other_station)
    DeputyFactory(home_region_id="430121000000")
    StationFactory(region_id="430104002000", status=StationStatus.SUSPENDED)
    StationFactory(region_id="430104002000", status=StationStatus.CLOSED)


@pytest.mark.parametrize("persona", ROLES)
@pytest.mark.parametrize("label", ["辖区内代表", "辖区内联络站"])
def test_a_directory_card_counts_what_its_list_shows(
    request: pytest.FixtureRequest, as_user: Any, directory: None, persona: str, label: str
) -> None:
    client = as_user(request.getfixturevalue(persona))
    cards = {card["label"]: card for card in client.get("/staff/").context["cards"]}
    card = cards[label]
    listed = client.get(card["url"])
    assert listed.status_code == 200
    assert card["value"] == listed.context["page_obj"].paginator.count
