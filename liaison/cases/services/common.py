"""Shared steps of every move: lock, version check, the action table, event, audit, notifications.

A move reads like this::

    with transaction.atomic():
        case, role = begin_move(
            case=case, action="accept", target=Status.ACCEPTED, actor=actor, expected_version=v
        )
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
from liaison.cases import actions
from liaison.cases.models import (
    PUBLIC_EVENT_KINDS,
    Case,
    CaseEvent,
    DueState,
    EventKind,
    ExtensionRequest,
    Status,
    Supervision,
)
from liaison.cases.permissions import case_actors, ordered_roles
from liaison.cases.services.errors import CaseConflict
from liaison.cases.workflow import SYSTEM, TransitionNotAllowed, ensure_transition

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


def check_action(
    case: Case,
    action: str,
    actor: User | None,
    *,
    seen: Case | None = None,
    nobody: str = SYSTEM,
    pending_extension: bool | None = None,
) -> str:
    """The role (or pseudo-actor) in which `actor` may take `action` on the locked `case` now,
    per the action table.

    `actor=None` is the constituent or the system (`nobody`); a staff actor with nothing to do
    with the case is refused (PermissionDenied). When the table refuses but would have allowed
    the action on `seen` (the copy the caller looked at), the case changed under the caller:
    CaseConflict. Otherwise the table's refusal (`actions.ensure_action`) is raised.
    """
    row = actions.rule(action)
    if actor is None:
        actors = [nobody]
    else:
        actors = ordered_roles(case_actors(actor, case))
        if not actors:
            raise PermissionDenied
    if pending_extension is None and "pending_extension" in row.facts_needed:
        pending_extension = ExtensionRequest.objects.filter(
            case_id=case.pk, decision=ExtensionRequest.Decision.PENDING
        ).exists()
    facts = actions.facts_of(case, pending_extension=pending_extension)
    try:
        return actions.ensure_action(action, actors, facts)
    except (PermissionDenied, TransitionNotAllowed, actions.ActionRefused):
        before = actions.facts_of(seen, pending_extension=pending_extension) if seen else facts
        if before != facts and actions.may(action, actors, before):
            raise CaseConflict(current_status_label=status_label(case.status)) from None
        raise


def begin_move(
    *,
    case: Case,
    action: str,
    target: str,
    actor: User | None,
    expected_version: int | None = None,
    nobody: str = SYSTEM,
) -> tuple[Case, str]:
    """Lock the case, check the version and the action table; `target` is where `action` leads
    from the current status (checked against the transition table)."""
    locked = lock_case(case)
    check_version(locked, expected_version)
    role = check_action(locked, action, actor, seen=case, nobody=nobody)
    ensure_transition(locked.status, target, role)
    return locked, role


def begin_action(
    *,
    case: Case,
    actor: User | None,
    action: str,
    expected_version: int | None = None,
    nobody: str = SYSTEM,
) -> tuple[Case, str]:
    """Like `begin_move` for actions that do not change the status (relay, extension …)."""
    locked = lock_case(case)
    check_version(locked, expected_version)
    return locked, check_action(locked, action, actor, seen=case, nobody=nobody)


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
