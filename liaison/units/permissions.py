"""Who may manage handling units: congress staff and system administrators of a region."""

from __future__ import annotations

from liaison.accounts.capabilities import Capability, capability_scope, has_capability
from liaison.accounts.scoping import AnyUser, Scope
from liaison.units.models import HandlingUnit


def manage_scope(user: AnyUser) -> Scope:
    """The regions in which the user may create units, set rules and appoint unit staff."""
    return capability_scope(user, Capability.MANAGE_UNITS)


def can_manage_units(user: AnyUser) -> bool:
    return has_capability(user, Capability.MANAGE_UNITS)


def can_manage_unit(user: AnyUser, unit: HandlingUnit) -> bool:
    return manage_scope(user).covers_region(unit.region_id)
