"""How a deputy reads to people: the poster's lines and the title derived from the seats."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from liaison.deputies.display import deputy_title
from liaison.deputies.models import AssignmentKind, DeputyLevel
from liaison.deputies.posters import poster_lines
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory, StationDeputyFactory

pytestmark = pytest.mark.django_db


def test_the_poster_says_rota_for_a_rota_assignment(station: Any, other_station: Any) -> None:
    deputy = DeputyFactory()
    StationDeputyFactory(deputy=deputy, station=station, kind=AssignmentKind.RESIDENT)
    StationDeputyFactory(
        deputy=deputy, station=other_station, kind=AssignmentKind.ROTA, rota="每月第一个周三"
    )
    lines = poster_lines(deputy)
    assert f"驻站：{station.name}" in lines
    assert f"轮值：{other_station.name}（每月第一个周三）" in lines
    assert f"驻站：{other_station.name}" not in lines


def test_the_title_is_the_highest_current_seat(hunan: None) -> None:
    deputy = DeputyFactory()
    assert deputy_title(deputy) == ""
    SeatFactory(deputy=deputy, level=DeputyLevel.COUNTY)
    SeatFactory(deputy=deputy, level=DeputyLevel.NATIONAL, congress_id="430000000000", term=14)
    SeatFactory(
        deputy=deputy,
        level=DeputyLevel.TOWNSHIP,
        congress_id="430104002000",
        starts_on=datetime.date(2016, 12, 1),
        ends_on=datetime.date(2021, 11, 30),
    )
    assert deputy_title(deputy) == "全国人大代表"
