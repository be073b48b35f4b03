"""Who may do what with a deputy: predicates over (user, object), no list queries.

Predicates expect the deputy's `seats` and `assignments` (with `station`) prefetched, as
`deputy_get_for_user` returns them, so that checking costs no query.
"""

from __future__ import annotations

import datetime
from typing import Final

from django.utils import timezone

from liaison.accounts.models import Role
from liaison.accounts.scoping import AnyUser, Scope, has_role, scope_for
from liaison.deputies.models import Deputy, StationDeputy
from liaison.stations.models import Station

# Staff who see deputies in their jurisdiction (list, detail, public fields).
VIEW_ROLES: Final = frozenset(
    {Role.LIAISON_OFFICER, Role.STATION_HEAD, Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN}
)
# Staff who register deputies and keep their public data, seats and assignments (region scope).
MANAGE_ROLES: Final = frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN})
# Staff who see the private fields masked (138****0000). Not the system administrator: the
# three powers (三权分立) keep administrators away from personal data, even masked.
PERSONAL_ROLES: Final = VIEW_ROLES - {Role.SYSTEM_ADMIN}
# Staff who may reveal, enter and change mobile, ID number and home address (reveals are audited).
PRIVATE_ROLES: Final = frozenset({Role.CONGRESS_STAFF})
# Station staff who may assign deputies to (and remove them from) their own station.
STATION_ASSIGN_ROLES: Final = frozenset({Role.STATION_HEAD})


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


def can_view_deputies(user: AnyUser) -> bool:
    return has_role(user, VIEW_ROLES)


def can_create_deputy(user: AnyUser) -> bool:
    return has_role(user, MANAGE_ROLES)


def can_view(user: AnyUser, deputy: Deputy) -> bool:
    return _covers(scope_for(user, VIEW_ROLES), deputy)


def can_manage(user: AnyUser, deputy: Deputy) -> bool:
    """Edit the deputy's data, seats and photo."""
    return _covers(scope_for(user, MANAGE_ROLES), deputy)


def can_view_private(user: AnyUser, deputy: Deputy) -> bool:
    return _covers(scope_for(user, PRIVATE_ROLES), deputy)


def can_see_personal(user: AnyUser, deputy: Deputy) -> bool:
    """See the private fields masked (the detail page's 个人信息 panel)."""
    return _covers(scope_for(user, PERSONAL_ROLES), deputy)


def sees_personal_data(user: AnyUser) -> bool:
    """Whether lists may show the user masked private fields at all."""
    return has_role(user, PERSONAL_ROLES)


def can_enter_private(user: AnyUser) -> bool:
    """Whether the new-deputy form asks this user for mobile, ID number and address."""
    return has_role(user, PRIVATE_ROLES)


def can_assign_at(user: AnyUser, station: Station) -> bool:
    """Assign deputies to `station` or end their assignments there."""
    return _covers_station(scope_for(user, MANAGE_ROLES), station) or _covers_station(
        scope_for(user, STATION_ASSIGN_ROLES), station
    )


def can_end_assignment(user: AnyUser, assignment: StationDeputy) -> bool:
    return can_assign_at(user, assignment.station)


def can_assign_any(user: AnyUser) -> bool:
    return has_role(user, MANAGE_ROLES | STATION_ASSIGN_ROLES)
