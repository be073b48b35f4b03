from __future__ import annotations

from typing import Any

import pytest

from liaison.deputies.models import DeputyLevel
from liaison.deputies.tests.factories import DeputyFactory, SeatFactory
from liaison.grids.tests.factories import GridFactory, PostFactory


@pytest.fixture
def grid(station: Any) -> Any:
    """A grid of 岳麓街道 run from the `station` fixture."""
    return GridFactory(name="岳麓街道第一网格", region_id="430104002000", station=station)


@pytest.fixture
def other_grid(other_station: Any) -> Any:
    """A grid of 长沙县 (another county)."""
    return GridFactory(name="星沙第一网格", region_id="430121001000", station=other_station)


@pytest.fixture
def post(grid: Any) -> Any:
    return PostFactory(grid=grid, name="安全巡查岗", duty_kind="patrol", needed=2)


@pytest.fixture
def other_post(other_grid: Any) -> Any:
    return PostFactory(grid=other_grid, name="政策宣传岗", duty_kind="publicity", needed=1)


@pytest.fixture
def county_deputy(yuelu: Any) -> Any:
    """A deputy of 岳麓区's congress (county level)."""
    deputy = DeputyFactory(name="李县代表", home_region_id="430104000000")
    SeatFactory(deputy=deputy, level=DeputyLevel.COUNTY, congress_id="430104000000")
    return deputy


@pytest.fixture
def township_deputy(yuelu: Any) -> Any:
    """A township-level deputy living in 岳麓街道."""
    deputy = DeputyFactory(name="赵乡代表", home_region_id="430104002000")
    SeatFactory(deputy=deputy, level=DeputyLevel.TOWNSHIP, congress_id="430104002000")
    return deputy


@pytest.fixture
def outside_deputy(changsha_county: Any) -> Any:
    """A deputy of 长沙县, outside 岳麓区."""
    deputy = DeputyFactory(name="孙外县代表", home_region_id="430121000000")
    SeatFactory(deputy=deputy, level=DeputyLevel.COUNTY, congress_id="430121000000")
    return deputy
