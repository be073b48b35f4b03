"""The demo's grid: one community grid of the demo station with posts held by its deputies.

Written through the grids services like any staff member would, and skipped when it exists.
"""

from __future__ import annotations

from liaison.accounts.models import User
from liaison.deputies.models import Deputy
from liaison.grids import services as grid_services
from liaison.grids.models import Grid
from liaison.regions.models import Region
from liaison.stations.models import Station
from liaison.workbench.demo_data import DEMO_GRID, DEMO_GRID_START


def demo_grid_build(*, actor: User, station: Station, deputies: list[Deputy]) -> Grid:
    """The demo grid with its posts and their deputies (idempotent)."""
    name, region_code, posts = DEMO_GRID
    existing = Grid.objects.filter(name=name, region_id=region_code, is_active=True).first()
    if existing is not None:
        return existing
    grid = grid_services.grid_create(
        actor=actor,
        name=name,
        region=Region.objects.get(code=region_code),
        station=station,
        description="桃花岭、牌楼坪两个社区，约 3,200 户；代表按岗位分组联系群众。",
    )
    for post_name, kind, needed, duty, holders in posts:
        post = grid_services.post_create(
            actor=actor,
            grid=grid,
            duty_kind=kind,
            name=post_name,
            description=duty,
            needed=needed,
        )
        for index in holders:
            grid_services.post_assign(
                post=post, deputy=deputies[index], actor=actor, start=DEMO_GRID_START
            )
    return grid
