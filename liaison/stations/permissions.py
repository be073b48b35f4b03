"""Who may do what with a station. Predicates over (user, object); no list queries.

Scopes come from memberships: congress staff and system administrators hold a region subtree,
station staff hold a station and its sub-stations (a prefix of the materialized path).
"""

from __future__ import annotations

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser
from liaison.stations.models import Station


def _covers(user: AnyUser, capability: Capability, station: Station) -> bool:
    return capability_scope(user, capability).covers_station(
        region_code=station.region_id, path=station.path
    )


def can_view_station(user: AnyUser, station: Station) -> bool:
    return _covers(user, Capability.VIEW_STATIONS, station)


def can_edit_station(user: AnyUser, station: Station) -> bool:
    """Edit facts, status, appearances; station heads only inside their own station subtree."""
    return _covers(user, Capability.EDIT_STATIONS, station)


def can_assess_station(user: AnyUser, station: Station) -> bool:
    return _covers(user, Capability.ASSESS_STATIONS, station)


def can_create_stations(user: AnyUser) -> bool:
    """Whether the user may create stations somewhere (shows the button)."""
    return has_capability(user, Capability.EDIT_STATIONS)


def can_place_station(user: AnyUser, *, region_code: str, parent: Station | None) -> bool:
    """Whether the user may have a station in `region_code` under `parent` (create or move).

    Region-scoped staff need the region in their scope (and the parent, if any, editable);
    station heads may only place stations under a parent in their own subtree, never roots.
    """
    scope = capability_scope(user, Capability.EDIT_STATIONS)
    if parent is None:
        return scope.covers_region(region_code)
    if not scope.covers_station(region_code=parent.region_id, path=parent.path):
        return False
    return scope.covers_region(region_code) or any(
        parent.path.startswith(p) for p in scope.station_paths
    )
