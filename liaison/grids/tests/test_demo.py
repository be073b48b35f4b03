"""The demo grid (built by `manage.py demo`): posts held by deputies of mixed levels, idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.deputies.tests.factories import DeputyFactory, SeatFactory
from liaison.grids import coverage
from liaison.grids.models import Post, PostAssignment
from liaison.grids.selectors import GridFilters
from liaison.workbench.demo_grids import demo_grid_build

pytestmark = pytest.mark.django_db


def test_demo_grid_is_built_once(county_staff: Any, station: Any) -> None:
    deputies = []
    for index, level in enumerate(["national", "city", "county", "county", "township"]):
        deputy = DeputyFactory(name=f"演示代表{index}")
        SeatFactory(deputy=deputy, level=level)
        deputies.append(deputy)
    grid = demo_grid_build(actor=county_staff, station=station, deputies=deputies)
    again = demo_grid_build(actor=county_staff, station=station, deputies=deputies)
    assert again == grid
    assert Post.objects.filter(grid=grid).count() == 4
    assert PostAssignment.objects.filter(post__grid=grid).count() == 6
    short = coverage.posts_short_of_deputies(county_staff, filters=GridFilters())
    assert {p.name for p in short} == {"矛盾纠纷调处岗", "养老服务岗"}
