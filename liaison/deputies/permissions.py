"""Who may do what with a deputy: predicates over (user, object), no list queries.

Predicates expect the deputy's `seats` and `assignments` (with `station`) prefetched, as
`deputy_get_for_user` returns them, so that checking costs no query.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser, Scope
from liaison.deputies.models import Deputy, StationDeputy
from liaison.stations.models import Station


def is_current(ends_on: datetime.date | None, today: datetime.date | None = None) -> bool:
    """An assignment or seat without an end, or ending today or later, is current."""
    today = today or timezone.localdate()
    return ends_on is None or ends_on >= today


def _covers(scope: Scope, deputy: Deputy) -> bool:
    """Whether `scope` reaches the deputy by home region, a seat's congress or a current station."""
    if deputy.home_region_id and scope.covers_region(deputy.home_region_id):
        return True
    if any(scope.covers_region(seat.congress_id) for seat in deputy.seats.all()):
        return True
    return any(
        is_current(a.ends_on) and _covers_station(scope, a.station)
        for a in deputy.assignments.all()
    )


def _covers_station(scope: Scope, station: Station) -> bool:
    return scope.covers_station(region_code=station.region_id, path=station.path)


def can_create_deputy(user: AnyUser) -> bool:
    return has_capability(user, Capability.MANAGE_DEPUTIES)


def can_manage(user: AnyUser, deputy: Deputy) -> bool:
    """Edit the deputy's data, seats and photo."""
    return _covers(capability_scope(user, Capability.MANAGE_DEPUTIES), deputy)


def can_view_private(user: AnyUser, deputy: Deputy) -> bool:
    return _covers(capability_scope(user, Capability.MANAGE_DEPUTY_PRIVATE), deputy)


def can_see_personal(user: AnyUser, deputy: Deputy) -> bool:
    """See the private fields masked (the detail page's 个人信息 panel)."""
    return _covers(capability_scope(user, Capability.SEE_DEPUTY_PERSONAL), deputy)


def sees_personal_data(user: AnyUser) -> bool:
    """Whether lists may show the user masked private fields at all."""
    return has_capability(user, Capability.SEE_DEPUTY_PERSONAL)


def can_enter_private(user: AnyUser) -> bool:
    """Whether the new-deputy form asks this user for mobile, ID number and address."""
    return has_capability(user, Capability.MANAGE_DEPUTY_PRIVATE)


def can_assign_at(user: AnyUser, station: Station) -> bool:
    """Assign deputies to `station` or end their assignments there."""
    scope = capability_scope(
        user, Capability.MANAGE_DEPUTIES, Capability.ASSIGN_DEPUTIES_AT_STATION
    )
    return _covers_station(scope, station)


def can_end_assignment(user: AnyUser, assignment: StationDeputy) -> bool:
    return can_assign_at(user, assignment.station)


def can_assign_any(user: AnyUser) -> bool:
    return has_capability(user, Capability.MANAGE_DEPUTIES, Capability.ASSIGN_DEPUTIES_AT_STATION)
