"""Reads of the audit trail, for auditors only."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from liaison.accounts.models import Role, User
from liaison.accounts.scoping import scope_for
from liaison.audit.models import AuditEvent
from liaison.regions.models import Level


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """Events of the auditor's jurisdiction. Events tied to no place (the system's own jobs, an
    unknown user name) are shown only to an auditor of a whole province: a county auditor must not
    read another county's trail through them (issue 10)."""
    scope = scope_for(user, [Role.AUDITOR])
    if scope.is_empty:
        return AuditEvent.objects.none()
    condition = scope.q(region_field="region_code")
    if any(region.level == Level.PROVINCE for region in scope.regions):
        condition |= Q(region_code="")
    return AuditEvent.objects.filter(condition).order_by("-at", "-id")


def audit_events_filter(
    qs: QuerySet[AuditEvent],
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
