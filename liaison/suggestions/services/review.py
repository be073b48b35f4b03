"""Review and assignment by the congress staff: accept, return, merge, assign, reassign,
approve as complex, 重点督办."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.services.texts import clean_text
from liaison.points.services import points_sync_on_commit
from liaison.suggestions.deadlines import answer_due_for, return_due_for, view_due_for
from liaison.suggestions.models import (
    EventKind,
    ReturnRequest,
    Status,
    Suggestion,
    SuggestionUnit,
)
from liaison.suggestions.services.common import notify_later, unit_staff_ids
from liaison.suggestions.services.flow import suggestion_begin
from liaison.units.models import HandlingUnit
from liaison.units.selectors import units_visible_to

MERGE_INTO: tuple[str, ...] = (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED)


def suggestion_accept(
    *, suggestion: Suggestion, actor: User, expected_version: int | None = None
) -> Suggestion:
    """立案: the suggestion is in order; the assignment deadline keeps running."""
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion,
            action="accept",
            actor=actor,
            expected_version=expected_version,
            target=Status.ACCEPTED,
        )
        step.row.accepted_at = timezone.now()
        step.finish(fields=["accepted_at"], kind=EventKind.ACCEPTED, note=_("审查通过，予以立案"))
        # An accepted suggestion counts for its author's points once this commits.
        points_sync_on_commit(deputy_ids=[step.row.author_id], on=_points_day(step.row))
    return step.row


def _points_day(suggestion: Suggestion) -> datetime.date | None:
    accepted = suggestion.accepted_at
    return timezone.localtime(accepted).date() if accepted else None


def suggestion_return(
    *, suggestion: Suggestion, actor: User, reason: str, expected_version: int | None = None
) -> Suggestion:
    """Send it back to the deputy with a reason; it keeps its number when filed again."""
    reason = clean_text(reason, field="reason", limit=1_000, required=_("请填写退回理由"))
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion,
            action="return",
            actor=actor,
            expected_version=expected_version,
            target=Status.RETURNED,
        )
        row = step.row
        row.return_reason, row.due_on, row.due_state = reason, None, ""
        author_user = row.author.user_id
        step.finish(
            fields=["return_reason", "due_on", "due_state"],
            kind=EventKind.RETURNED,
            note=reason,
            notify=[
                lambda: notify_later(
                    user_ids=[author_user] if author_user else [],
                    title=_("您的建议“%(t)s”被退回修改") % {"t": row.title},
                    suggestion_id=row.pk,
                )
            ],
        )
    return row


def suggestion_merge(*, suggestion: Suggestion, actor: User, into: Suggestion) -> Suggestion:
    """并案: the suggestion joins a similar one of the same session, whose answer it shares."""
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion, action="merge", actor=actor, target=Status.MERGED
        )
        row = step.row
        primary = Suggestion.objects.select_for_update().get(pk=into.pk)
        if primary.pk == row.pk or primary.session_id != row.session_id:
            raise ValidationError({"into": _("只能并入同一次会议的其他建议")})
        if primary.status not in MERGE_INTO:
            raise ValidationError({"into": _("该建议已不在办理中，不能并入")})
        row.merged_into, row.due_on, row.due_state = primary, None, ""
        step.save(fields=["merged_into", "due_on", "due_state"])
        step.event(EventKind.MERGED, note=primary.number_label, data={"into": primary.pk})
        step.event(EventKind.MERGED_IN, subject=primary, note=row.number_label)
        step.audit(EventKind.MERGED, after={"status": row.status, "into": primary.pk})
        # A merged suggestion no longer counts for its author (the primary does for its own).
        points_sync_on_commit(deputy_ids=[row.author_id], on=_points_day(row))
    return row


def _check_units(actor: User, lead: HandlingUnit, co_units: Sequence[HandlingUnit]) -> None:
    chosen = [lead, *co_units]
    if len({u.pk for u in chosen}) != len(chosen):
        raise ValidationError({"co_units": _("协办单位不能与主办单位重复")})
    visible = set(
        units_visible_to(actor)
        .filter(pk__in=[u.pk for u in chosen], is_active=True)
        .values_list("pk", flat=True)
    )
    if any(u.pk not in visible for u in chosen):
        raise ValidationError({"lead": _("请选择本辖区内启用的承办单位")})


def suggestion_assign(
    *,
    suggestion: Suggestion,
    actor: User,
    lead: HandlingUnit,
    co_units: Sequence[HandlingUnit] = (),
    expected_version: int | None = None,
) -> Suggestion:
    """交办 (or reassign): a lead unit and co-handling units; the answer clock starts now."""
    _check_units(actor, lead, co_units)
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion,
            action="assign",
            actor=actor,
            expected_version=expected_version,
            target=Status.ASSIGNED,
        )
        row = step.row
        again = step.from_status == Status.ASSIGNED
        now = timezone.now()
        region = row.congress_id
        if again:
            SuggestionUnit.objects.filter(suggestion=row, is_current=True).update(is_current=False)
            ReturnRequest.objects.filter(
                suggestion=row, decision=ReturnRequest.Decision.PENDING
            ).update(decision=ReturnRequest.Decision.APPROVED, decided_at=now)
        return_due = return_due_for(region=region, assigned_at=now)
        view_due = view_due_for(region=region, assigned_at=now)
        SuggestionUnit.objects.bulk_create(
            [
                SuggestionUnit(
                    suggestion=row, unit=lead, is_lead=True, assigned_at=now, return_due=return_due
                )
            ]
            + [
                SuggestionUnit(
                    suggestion=row,
                    unit=u,
                    assigned_at=now,
                    return_due=return_due,
                    view_due=view_due,
                )
                for u in co_units
            ]
        )
        row.lead_unit, row.assigned_at = lead, now
        row.answer_due = answer_due_for(region=region, assigned_at=now, complex_=row.is_complex)
        row.due_on, row.due_state = row.answer_due, ""
        names = "、".join(u.name for u in co_units)
        note = _("主办：%(lead)s") % {"lead": lead.name}
        if names:
            note += _("；协办：%(co)s") % {"co": names}
        unit_ids = [lead.pk, *(u.pk for u in co_units)]
        step.finish(
            fields=["lead_unit", "assigned_at", "answer_due", "due_on", "due_state"],
            kind=EventKind.REASSIGNED if again else EventKind.ASSIGNED,
            note=note,
            data={"lead": lead.pk, "co": [u.pk for u in co_units]},
            notify=[
                lambda: notify_later(
                    user_ids=unit_staff_ids(unit_ids),
                    title=_("新交办的代表建议：%(t)s") % {"t": row.title},
                    suggestion_id=row.pk,
                )
            ],
        )
    return row


def suggestion_complex_approve(*, suggestion: Suggestion, actor: User) -> Suggestion:
    """Approve as complex: the answer period becomes the longer one (代表法 art. 51)."""
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="complex", actor=actor)
        row = step.row
        before = {"answer_due": row.answer_due}
        assigned = row.assigned_at or timezone.now()
        row.is_complex = True
        row.answer_due = answer_due_for(region=row.congress_id, assigned_at=assigned, complex_=True)
        row.due_on, row.due_state = row.answer_due, ""
        step.save(fields=["is_complex", "answer_due", "due_on", "due_state"])
        step.event(EventKind.COMPLEX, note=_("答复期限延至 %(d)s") % {"d": row.answer_due})
        step.audit(EventKind.COMPLEX, before=before, after={"answer_due": row.answer_due})
    return row


def suggestion_priority_set(
    *, suggestion: Suggestion, actor: User, leader: str, deputies: str = ""
) -> Suggestion:
    """重点督办, chosen by the standing committee, with a supervising leader."""
    leader = clean_text(leader, field="leader", limit=50, required=_("请填写督办领导"))
    deputies = clean_text(deputies, field="deputies", limit=200)
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="priority", actor=actor)
        row = step.row
        row.is_priority, row.priority_leader, row.priority_deputies = True, leader, deputies
        step.save(fields=["is_priority", "priority_leader", "priority_deputies"])
        step.event(EventKind.PRIORITY, note=_("督办领导：%(l)s") % {"l": leader})
        step.audit(EventKind.PRIORITY, after={"leader": leader, "deputies": deputies})
    return row
