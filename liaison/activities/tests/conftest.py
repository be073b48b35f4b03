"""Fixtures of the activity tests: deputies of the station's county and one outside it."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.deputies.models import Deputy
from liaison.deputies.tests.factories import DeputyFactory, StationDeputyFactory


@pytest.fixture
def deputy(deputy_user: Any) -> Deputy:
    """The conftest deputy (张代表), assigned to the station, with a login."""
    return Deputy.objects.get(user=deputy_user)


@pytest.fixture
def colleague(station: Any) -> Deputy:
    """Another deputy of the station, without a login."""
    other = DeputyFactory(name="李代表")
    StationDeputyFactory(station=station, deputy=other)
    return other


@pytest.fixture
def outsider(other_station: Any) -> Deputy:
    """A deputy of 长沙县: outside the station's county."""
    other = DeputyFactory(name="外县代表", home_region_id="430121000000")
    StationDeputyFactory(station=other_station, deputy=other)
    return other
