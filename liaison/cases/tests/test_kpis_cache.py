"""The per-process cache of KPIs (issue 16) is keyed by the scoped cohort: no scope sees
another's figures, and a period or a region filter is its own entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from liaison.cases.kpis import kpis_for
from liaison.cases.models import Status
from liaison.cases.tests.factories import case_in
from liaison.common.hotcache import clear_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hot_cache_on(settings: Any) -> Iterator[None]:
    settings.HOT_CACHE_SECONDS = 30
    clear_all()
    yield
    clear_all()


def test_each_scope_gets_its_own_figures(
    station: Any, other_station: Any, county_staff: Any, other_county_staff: Any, yuelu: Any
) -> None:
    for _ in range(3):
        case_in(Status.SUBMITTED, station=station, region_id=station.region_id)
    case_in(Status.SUBMITTED, station=other_station, region_id=other_station.region_id)
    assert kpis_for(county_staff).total == 3
    assert kpis_for(other_county_staff).total == 1
    assert kpis_for(county_staff).total == 3  # from the cache, still its own
    assert kpis_for(county_staff, region=yuelu.parent).total == 3


def test_a_fresh_figure_after_the_cache_is_cleared(station: Any, county_staff: Any) -> None:
    case_in(Status.SUBMITTED, station=station, region_id=station.region_id)
    assert kpis_for(county_staff).total == 1
    case_in(Status.SUBMITTED, station=station, region_id=station.region_id)
    assert kpis_for(county_staff).total == 1  # within HOT_CACHE_SECONDS
    clear_all()
    assert kpis_for(county_staff).total == 2
