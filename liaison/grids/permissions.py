"""Who may see and manage which grid. Predicates over (user, object); no list queries.

Congress staff hold a region subtree: every grid in it. Station staff hold a station and its
sub-stations: the grids run from those stations (a grid without a station belongs to the region's
staff only). Reading a grid's station path needs `grid.station` loaded (selectors join it).
"""

from __future__ import annotations

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser, Scope
from liaison.grids.models import Grid
from liaison.stations.models import Station


def scope_covers_grid(scope: Scope, grid: Grid) -> bool:
    if scope.covers_region(grid.region_id):
        return True
    station = grid.station
    return station is not None and any(station.path.startswith(p) for p in scope.station_paths)


def can_manage_grid(user: AnyUser, grid: Grid) -> bool:
    """Edit the grid, its posts and who holds them."""
    return scope_covers_grid(capability_scope(user, Capability.MANAGE_GRIDS), grid)


def can_create_grids(user: AnyUser) -> bool:
    """Whether the user may create grids somewhere (shows the button)."""
    return has_capability(user, Capability.MANAGE_GRIDS)


def can_place_grid(user: AnyUser, *, region_code: str, station: Station | None) -> bool:
    """Whether the user may have a grid in `region_code`, run from `station` (create or edit).

    Region staff need the region (and the station, if any) in their scope; station heads need a
    station of their own subtree, since a grid without a station is the region's.
    """
    scope = capability_scope(user, Capability.MANAGE_GRIDS)
    if station is None:
        return scope.covers_region(region_code)
    return scope.covers_station(region_code=station.region_id, path=station.path) and (
        scope.covers_region(region_code)
        or any(station.path.startswith(p) for p in scope.station_paths)
    )
