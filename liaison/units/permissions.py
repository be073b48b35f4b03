"""Who may manage handling units: congress staff and system administrators of a region."""

from __future__ import annotations

from typing import Final

from liaison.accounts.models import Role
from liaison.accounts.scoping import AnyUser, Scope, has_role, scope_for
from liaison.units.models import HandlingUnit

MANAGE_ROLES: Final = frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN})


def manage_scope(user: AnyUser) -> Scope:
    """The regions in which the user may create units, set rules and appoint unit staff."""
    return scope_for(user, MANAGE_ROLES)


def can_manage_units(user: AnyUser) -> bool:
    return has_role(user, MANAGE_ROLES)


def can_manage_unit(user: AnyUser, unit: HandlingUnit) -> bool:
    return manage_scope(user).covers_region(unit.region_id)
