"""The deadline job of the suggestion loop: yellow/red marks on every running deadline (assign,
answer, re-handle, a co-handling unit's view), the B-grade promise that passed, and answers
never rated within the rating window, closed as 未评价 (`services/unrated.py`).

Only rows whose deadline falls within the next `HORIZON_DAYS` (longer than any warning window)
and that are not red yet are read, in batches by due date; each mark is set once, so running the
job twice changes nothing. Every mark appends a system event and tells the people concerned.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.notifications.models import Notification
from liaison.notifications.services import notify_many
from liaison.notifications.subjects import subject_fields
from liaison.suggestions.deadlines import due_state_of
from liaison.suggestions.models import (
    WATCHED_STATUSES,
    DueState,
    EventKind,
    Grade,
    Status,
    Suggestion,
    SuggestionEvent,
    SuggestionUnit,
)
from liaison.suggestions.services.common import reviewer_ids, staff_url, unit_staff_ids
from liaison.suggestions.services.unrated import close_unrated_suggestions
from liaison.suggestions.workflow import SYSTEM
from liaison.workflow.events import event_build

BATCH_SIZE: Final = 500
HORIZON_DAYS: Final = 60


@dataclass
class EscalationResult:
    yellow: int = 0
    red: int = 0
    views: int = 0
    promises: int = 0
    unrated: int = 0


def _tell(rows: list[tuple[Suggestion, str]]) -> None:
    messages: list[Notification] = []
    recipients: dict[str, set[int]] = {}
    for row, title in rows:
        if row.congress_id not in recipients:
            recipients[row.congress_id] = reviewer_ids(row.congress_id)
        users = set(recipients[row.congress_id])
        if row.lead_unit_id and row.status in (Status.ASSIGNED, Status.REHANDLING):
            users |= unit_staff_ids([row.lead_unit_id])
        messages += [
            Notification(user_id=u, title=title[:200], url=staff_url(row.pk), **subject_fields(row))
            for u in users
        ]
    notify_many(messages)


def _mark_suggestions(today: datetime.date, result: EscalationResult) -> None:
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    base = Suggestion.objects.filter(
        status__in=WATCHED_STATUSES, due_on__isnull=False, due_on__lte=horizon
    ).exclude(due_state=DueState.RED)
    last = 0
    while True:
        with transaction.atomic():
            batch = list(base.filter(pk__gt=last).order_by("pk").select_for_update()[:BATCH_SIZE])
            if not batch:
                return
            last = batch[-1].pk
            changed: list[Suggestion] = []
            events: list[SuggestionEvent] = []
            told: list[tuple[Suggestion, str]] = []
            for row in batch:
                state = due_state_of(due=row.due_on, region=row.congress_id, today=today)
                if not state or state == row.due_state:
                    continue
                row.due_state = state
                changed.append(row)
                kind = EventKind.RED if state == DueState.RED else EventKind.YELLOW
                note = _("期限 %(d)s") % {"d": row.due_on}
                events.append(
                    event_build(
                        model=SuggestionEvent,
                        subject=row,
                        kind=kind,
                        actor=None,
                        role=SYSTEM,
                        note=note,
                    )
                )
                label = _("逾期") if state == DueState.RED else _("临期")
                told.append(
                    (
                        row,
                        _("代表建议%(n)s%(l)s：%(t)s")
                        % {"n": row.number_label, "l": label, "t": row.title},
                    )
                )
                if state == DueState.RED:
                    result.red += 1
                else:
                    result.yellow += 1
            Suggestion.objects.bulk_update(changed, ["due_state"])
            SuggestionEvent.objects.bulk_create(events)
            _tell(told)


def _mark_views(today: datetime.date, result: EscalationResult) -> None:
    """Co-handling units that have not sent their view by its day turn red (once)."""
    rows = list(
        SuggestionUnit.objects.filter(
            is_current=True,
            is_lead=False,
            view_at__isnull=True,
            view_due__lt=today,
            suggestion__status=Status.ASSIGNED,
        )
        .exclude(view_due_state=DueState.RED)
        .select_related("suggestion", "unit")[: BATCH_SIZE * 10]
    )
    if not rows:
        return
    by_unit: dict[int, list[SuggestionUnit]] = defaultdict(list)
    with transaction.atomic():
        for row in rows:
            row.view_due_state = DueState.RED
            by_unit[row.unit_id].append(row)
        SuggestionUnit.objects.bulk_update(rows, ["view_due_state"])
        SuggestionEvent.objects.bulk_create(
            event_build(
                model=SuggestionEvent,
                subject=r.suggestion,
                kind=EventKind.RED,
                actor=None,
                role=SYSTEM,
                note=_("%(u)s 逾期未提交协办意见") % {"u": r.unit.name},
            )
            for r in rows
        )
        messages = [
            Notification(
                user_id=u,
                title=_("协办意见逾期：%(t)s") % {"t": r.suggestion.title},
                url=staff_url(r.suggestion_id),
                **subject_fields(r.suggestion),
            )
            for unit_id, unit_rows in by_unit.items()
            for u in unit_staff_ids([unit_id])
            for r in unit_rows
        ]
        notify_many(messages)
    result.views += len(rows)


def _mark_promises(today: datetime.date, result: EscalationResult) -> None:
    """A B-grade answer whose promised date passed is flagged for follow-up (once)."""
    rows = list(
        Suggestion.objects.filter(
            grade=Grade.B,
            promised_on__lt=today,
            promise_overdue=False,
            status__in=(Status.ANSWERED, Status.CLOSED),
        )[: BATCH_SIZE * 10]
    )
    if not rows:
        return
    with transaction.atomic():
        for row in rows:
            row.promise_overdue = True
        Suggestion.objects.bulk_update(rows, ["promise_overdue"])
        SuggestionEvent.objects.bulk_create(
            event_build(
                model=SuggestionEvent,
                subject=r,
                kind=EventKind.PROMISE_DUE,
                actor=None,
                role=SYSTEM,
                note=_("承诺解决日期 %(d)s 已过，请跟踪落实") % {"d": r.promised_on},
            )
            for r in rows
        )
        _tell([(r, _("B类建议承诺期限已过：%(t)s") % {"t": r.title}) for r in rows])
    result.promises += len(rows)


def escalate_due_suggestions(*, today: datetime.date | None = None) -> EscalationResult:
    """Mark every deadline of the suggestion loop that is close or past (idempotent)."""
    today = today or timezone.localdate()
    result = EscalationResult()
    _mark_suggestions(today, result)
    _mark_views(today, result)
    _mark_promises(today, result)
    result.unrated = close_unrated_suggestions(today=today)
    return result
