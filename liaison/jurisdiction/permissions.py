"""Who may change jurisdiction settings and the working-day calendar of a region."""

from __future__ import annotations

from typing import Final

from liaison.accounts.models import Role
from liaison.accounts.scoping import AnyUser, Scope, scope_for
from liaison.regions.models import Region

# Staff of a people's congress and system administrators, within their region scope. Security
# admins and auditors hold separate powers (三权分立) and do not change business settings.
MANAGE_ROLES: Final = frozenset({Role.CONGRESS_STAFF, Role.SYSTEM_ADMIN})


def manage_scope(user: AnyUser) -> Scope:
    """The regions in which `user` may change settings and calendar overrides."""
    return scope_for(user, MANAGE_ROLES)


def can_manage_region(user: AnyUser, region: Region) -> bool:
    """Whether `user` may change the settings and calendar of `region` (inside their scope)."""
    return manage_scope(user).covers_region(region.code)
