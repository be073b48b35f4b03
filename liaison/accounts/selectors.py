"""Scoped reads of accounts and memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from liaison.accounts.capabilities import GRANTABLE, Capability, capability_scope
from liaison.accounts.models import Membership, Role, User
from liaison.accounts.scoping import roles_of, scope_for
from liaison.audit.models import AuditEvent
from liaison.regions.models import Level


def memberships_visible_to(user: User) -> QuerySet[Membership]:
    """Memberships whose scope lies inside the user's granting scope."""
    scope = scope_for(user, GRANTABLE.keys())
    # A membership sits in the region it names (for a station or a unit: the region it lies in).
    condition = scope.q(region_field="region_id", station_path_field="station_path")
    return (
        Membership.objects.filter(condition)
        .select_related("user", "region", "created_by")
        .order_by("-created_at", "-id")
    )


def membership_get_for_user(user: User, pk: int) -> Membership:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(memberships_visible_to(user), pk=pk)


def manageable_roles(user: User) -> list[tuple[str, Any]]:

    granted: set[str] = set()
    for role in roles_of(user):
        granted |= GRANTABLE.get(role, frozenset())
    return [(r.value, r.label) for r in Role if r.value in granted]


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """Events of the auditor's jurisdiction. Events tied to no place (the system's own jobs, an
    unknown user name) are shown only to an auditor of a whole province: a county auditor must not
    read another county's trail through them (issue 10)."""
    scope = capability_scope(user, Capability.VIEW_AUDIT)
    if scope.is_empty:
        return AuditEvent.objects.none()
    condition = scope.q(region_field="region_code")
    if any(region.level == Level.PROVINCE for region in scope.regions):
        condition |= Q(region_code="")
    return AuditEvent.objects.filter(condition).order_by("-at", "-id")
