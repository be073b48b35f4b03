"""Who may change jurisdiction settings and the working-day calendar of a region."""

from __future__ import annotations

from liaison.accounts.capabilities import Capability, capability_scope
from liaison.accounts.scoping import AnyUser, Scope


def manage_scope(user: AnyUser) -> Scope:
    """The regions in which `user` may change settings and calendar overrides.

    Staff of a people's congress and system administrators (MANAGE_JURISDICTION), within their
    region scope. Security admins and auditors hold separate powers (三权分立) and do not change
    business settings.
    """
    return capability_scope(user, Capability.MANAGE_JURISDICTION)
