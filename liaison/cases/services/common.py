"""Shared steps of every move: lock, version check, role choice, event, audit, notifications.

A move reads like this::

    with transaction.atomic():
        case, role = begin_move(case=case, target=Status.ACCEPTED, actor=actor, expected_version=v)
        ...  # validate, set milestones
        finish_move(case, fields=[...])                      # version + 1, save
        add_event(case, EventKind.ACCEPTED, actor=actor, role=role, ...)
        audit_move(case, actor=actor, kind=EventKind.ACCEPTED, before=before)
        after_commit(lambda: ...)                              # notifications
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.cases.models import (
    PUBLIC_EVENT_KINDS,
    Case,
    CaseEvent,
    DueState,
    EventKind,
    Status,
    Supervision,
)
from liaison.cases.permissions import actor_roles_for, ordered_roles
from liaison.cases.services.errors import CaseConflict
from liaison.cases.workflow import SYSTEM, TRANSITIONS, TransitionNotAllowed, allowed

logger = logging.getLogger(__name__)


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def lock_case(case: Case | int) -> Case:
    """The case row, locked until the end of the transaction."""
    pk = case.pk if isinstance(case, Case) else case
    return Case.objects.select_for_update().get(pk=pk)


def check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and case.version != expected_version:
        raise CaseConflict(current_status_label=status_label(case.status))


def candidate_roles(case: Case, actor: User | None, *, nobody: str = SYSTEM) -> list[str]:
    """The roles the actor may use on the case, in preference order.

    `actor=None` is the constituent or the system (`nobody`); a staff actor with no role on the
    case is refused (PermissionDenied).
    """
    if actor is None:
        return [nobody]
    roles = ordered_roles(actor_roles_for(actor, case))
    if not roles:
        raise PermissionDenied
    return roles


def choose_role(case: Case, target: str, roles: list[str], *, seen_status: str) -> str:
    """The first of `roles` the table allows for moving `case` to `target`.

    When none is allowed: a conflict if the case moved under the caller (the move was fine from
    the status they saw), PermissionDenied if the move exists for other roles, otherwise
    TransitionNotAllowed.
    """
    current = case.status
    for role in roles:
        if allowed(current, target, role):
            return role
    if seen_status != current and any(allowed(seen_status, target, r) for r in roles):
        raise CaseConflict(current_status_label=status_label(current))
    if (current, target) in TRANSITIONS:
        raise PermissionDenied
    raise TransitionNotAllowed(current, target, roles[0])


def begin_move(
    *,
    case: Case,
    target: str,
    actor: User | None,
    expected_version: int | None = None,
    nobody: str = SYSTEM,
) -> tuple[Case, str]:
    """Lock the case, check the version, the actor's scope and the transition table."""
    seen_status = case.status
    locked = lock_case(case)
    check_version(locked, expected_version)
    roles = candidate_roles(locked, actor, nobody=nobody)
    return locked, choose_role(locked, target, roles, seen_status=seen_status)


def begin_action(
    *,
    case: Case,
    actor: User | None,
    roles_allowed: Iterable[str],
    statuses: Iterable[str],
    action: str,
    expected_version: int | None = None,
    nobody: str = SYSTEM,
) -> tuple[Case, str]:
    """Like `begin_move` for actions that do not change the status (relay, extension …)."""
    seen_status = case.status
    locked = lock_case(case)
    check_version(locked, expected_version)
    roles = candidate_roles(locked, actor, nobody=nobody)
    wanted = set(roles_allowed)
    usable = [r for r in roles if r in wanted]
    if not usable:
        raise PermissionDenied
    if locked.status not in set(statuses):
        if seen_status != locked.status and seen_status in set(statuses):
            raise CaseConflict(current_status_label=status_label(locked.status))
        raise TransitionNotAllowed(locked.status, action, usable[0])
    return locked, usable[0]


def finish_move(case: Case, *, fields: Iterable[str]) -> None:
    """Bump the version and save the given fields."""
    case.version += 1
    case.save(update_fields=sorted({*fields, "version"}))


def add_event(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    role: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event. The note of a public event is read by the constituent: no personal data."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_role=role,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
        is_public=kind in PUBLIC_EVENT_KINDS,
    )


def audit_move(
    case: Case,
    *,
    actor: User | None,
    kind: str,
    before: dict[str, Any],
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Audit row for a staff action (the constituent and the system leave only the event)."""
    if actor is None:
        return
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=case,
        region_code=case.region_id,
        before=before,
        after=after if after is not None else {"status": case.status, "version": case.version},
        note=(note or str(EventKind(kind).label))[:500],
    )


def clear_due(case: Case) -> list[str]:
    """Forget the yellow/red mark and resolve open supervisions (the due date was met or moved).

    Returns the fields to save.
    """
    case.due_state = DueState.NONE
    Supervision.objects.filter(case_id=case.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return ["due_state"]


def after_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` once the transaction commits; a failure is logged, never undoes the move."""
    transaction.on_commit(callback, robust=True)


def staff_case_url(case_id: int) -> str:
    """The workbench page of a case (empty while the workbench is not installed)."""
    for name in ("cases:detail", "cases:case_detail", "cases:case"):
        try:
            return reverse(name, kwargs={"pk": case_id})
        except NoReverseMatch:
            continue
    return ""


def tracking_url(case: Case) -> str:
    """The public tracking page of a case (the person still needs the PIN)."""
    base = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    for name, kwargs in (
        ("cases_h5:track", {"tracking_code": case.tracking_code}),
        ("cases_h5:track", {"code": case.tracking_code}),
    ):
        try:
            return base + reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return f"{base}/cases/"


def notify_later(
    case: Case,
    *,
    title: str,
    body: str = "",
    unit: bool = False,
    co_units: bool = False,
    deputy: bool = False,
    station: bool = False,
    congress: bool = False,
    users: Iterable[int] = (),
    exclude: User | None = None,
) -> None:
    """After commit, put a message in the inbox of the case's people named by the flags.

    unit: the lead unit's staff; co_units: the co-handling units' staff; deputy: the assigned
    deputy; station: officers and heads of the case's station (and stations above it);
    congress: congress staff whose region covers the case.
    """
    from liaison.cases.selectors import users_by_keys

    case_id = case.pk
    extra = set(users)
    excluded = exclude.pk if exclude is not None else None

    def send() -> None:
        from liaison.cases.models import CoHandling
        from liaison.notifications.services import notify_users

        fresh = Case.objects.select_related("station", "assigned_deputy").get(pk=case_id)
        unit_ids: list[int] = []
        if unit and fresh.unit_id:
            unit_ids.append(fresh.unit_id)
        if co_units:
            unit_ids += CoHandling.objects.filter(case_id=case_id).values_list("unit_id", flat=True)
        keyed = users_by_keys(
            unit_ids=unit_ids,
            station_paths=[fresh.station.path] if station and fresh.station else [],
            region_codes=[fresh.region_id] if congress else [],
        )
        ids = set(extra).union(*keyed.values())
        if deputy and fresh.assigned_deputy and fresh.assigned_deputy.user_id:
            ids.add(fresh.assigned_deputy.user_id)
        if excluded is not None:
            ids.discard(excluded)
        label = f"{fresh.tracking_code} {fresh.title}"
        notify_users(
            users=ids,
            title=f"{title}：{label}",
            body=body,
            url=staff_case_url(case_id),
            case=case_id,
        )

    after_commit(send)
