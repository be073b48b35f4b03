"""Shared pieces of the case services around the workflow kernel (`flow.case_begin`).

A move reads like this::

    with transaction.atomic():
        step = case_begin(
            case=case, action="accept", target=Status.ACCEPTED, actor=actor, expected_version=v
        )
        ...  # validate, set milestones on step.row
        step.finish(fields=[...], kind=EventKind.ACCEPTED, note=..., notify=[...])

Services that interleave their own work call the step's parts (`save`, `event`, `audit`,
`notify`). Events that are not a person's step on a locked case (the system's notes, bulk events
on merged duplicates, intake) go through `add_event` / `case_event`, the case's spelling of the
one event builder (`liaison.workflow.events`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.cases.models import Case, CaseEvent, CoHandling, DueState, Supervision
from liaison.cases.selectors import users_by_keys
from liaison.cases.services.flow import case_begin, status_label
from liaison.cases.workflow import SYSTEM
from liaison.notifications.services import notify_users
from liaison.workflow.events import event_append, event_build

logger = logging.getLogger(__name__)

__all__ = ["case_begin", "status_label"]


def add_event(
    case: Case | int,
    kind: str,
    *,
    actor: User | None,
    role: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
    public: bool | None = None,
) -> CaseEvent:
    """Append one event. The note of a public event is read by the constituent: no personal data."""
    return event_append(
        case_event(
            case,
            kind,
            actor=actor,
            role=role,
            from_status=from_status,
            to_status=to_status,
            note=note,
            data=data,
            public=public,
        )
    )


def case_event(
    case: Case | int,
    kind: str,
    *,
    actor: User | None = None,
    role: str = SYSTEM,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
    public: bool | None = None,
    at: Any = None,
) -> CaseEvent:
    """An unsaved event (for `CaseEvent.objects.bulk_create` or a fast insert)."""
    return event_build(
        model=CaseEvent,
        subject=case,
        kind=kind,
        actor=actor,
        role=role,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
        public=public,
        at=at,
    )


def lock_with_duplicates(case_id: int) -> list[int]:
    """Lock a primary case and the cases merged into it, lowest id first, the order merges and
    un-merges lock in (`merging._lock`), so that closing or answering a primary cannot deadlock
    with un-merging one of its duplicates. Returns the duplicates' ids.

    Call it first in the transaction, before `case_begin` locks the case again. A merge into the
    case between the read and the lock only adds a row locked after the others: once the case is
    locked no merge into it or un-merge from it can go on, as both lock it too.
    """
    guessed = Case.objects.filter(merged_into_id=case_id).values_list("pk", flat=True)
    wanted = {case_id, *guessed}
    list(Case.objects.select_for_update().filter(pk__in=wanted).order_by("pk").values_list("pk"))
    return list(
        Case.objects.filter(merged_into_id=case_id).order_by("pk").values_list("pk", flat=True)
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

    case_id = case.pk
    extra = set(users)
    excluded = exclude.pk if exclude is not None else None

    def send() -> None:

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
            subject=fresh,
        )

    after_commit(send)
