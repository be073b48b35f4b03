"""What the units do besides answering: ask to return a wrong assignment, send a co-handling
view; staff refuse a return request (approving is reassigning: `suggestion_assign`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.services.texts import clean_text
from liaison.suggestions.models import EventKind, ReturnRequest, Suggestion, SuggestionUnit
from liaison.suggestions.permissions import unit_ids_of
from liaison.suggestions.services.common import notify_later, reviewer_ids, unit_staff_ids
from liaison.suggestions.services.flow import suggestion_begin


def _own_row(suggestion: Suggestion, actor: User, *, lead: bool | None = None) -> SuggestionUnit:
    rows = SuggestionUnit.objects.filter(
        suggestion=suggestion, is_current=True, unit_id__in=unit_ids_of(actor)
    )
    if lead is not None:
        rows = rows.filter(is_lead=lead)
    row = rows.select_related("unit").first()
    if row is None:
        raise ValidationError(_("您所在单位不是该建议的承办单位"))
    return row


def return_request_create(*, suggestion: Suggestion, actor: User, reason: str) -> ReturnRequest:
    """交办有误: within the return period of the assignment, with a reason."""
    reason = clean_text(reason, field="reason", limit=1_000, required=_("请填写申请退回的理由"))
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="return_request", actor=actor)
        own = _own_row(step.row, actor)
        if timezone.localdate() > own.return_due:
            raise ValidationError(
                {
                    "reason": _("已超过申请退回的期限（%(d)s），请按交办办理，或联系人大工作机构。")
                    % {"d": own.return_due.isoformat()}
                }
            )
        request = ReturnRequest.objects.create(
            suggestion=step.row, unit=own.unit, reason=reason, requested_by=actor
        )
        congress, pk, unit_name = step.row.congress_id, step.row.pk, own.unit.name
        step.save(fields=[])
        step.event(EventKind.RETURN_REQUESTED, note=f"{unit_name}：{reason}")
        step.audit(EventKind.RETURN_REQUESTED, after={"unit": own.unit_id, "reason": reason})
        step.notify(
            lambda: notify_later(
                user_ids=reviewer_ids(congress),
                title=_("%(u)s 申请退回代表建议") % {"u": unit_name},
                suggestion_id=pk,
            )
        )
    return request


def return_request_refuse(*, suggestion: Suggestion, actor: User, note: str) -> ReturnRequest:
    """The staff keep the assignment; the unit is told why."""
    note = clean_text(note, field="note", limit=1_000, required=_("请填写不同意退回的理由"))
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="return_refuse", actor=actor)
        request = ReturnRequest.objects.select_for_update().get(
            suggestion=step.row, decision=ReturnRequest.Decision.PENDING
        )
        request.decision, request.decided_at = ReturnRequest.Decision.REFUSED, timezone.now()
        request.save(update_fields=["decision", "decided_at"])
        unit_id, pk = request.unit_id, step.row.pk
        step.save(fields=[])
        step.event(EventKind.RETURN_REFUSED, note=note)
        step.audit(EventKind.RETURN_REFUSED, after={"request": request.pk, "note": note})
        step.notify(
            lambda: notify_later(
                user_ids=unit_staff_ids([unit_id]),
                title=_("退回申请未获同意，请继续办理"),
                suggestion_id=pk,
            )
        )
    return request


def co_view_send(*, suggestion: Suggestion, actor: User, view: str) -> SuggestionUnit:
    """A co-handling unit's view to the lead unit (once)."""
    view = clean_text(view, field="view", limit=5_000, required=_("请填写协办意见"))
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="co_view", actor=actor)
        own = _own_row(step.row, actor, lead=False)
        if own.view_at is not None:
            raise ValidationError({"view": _("本单位已提交协办意见")})
        own.view, own.view_at, own.view_due_state = view, timezone.now(), ""
        own.save(update_fields=["view", "view_at", "view_due_state"])
        lead_id, pk = step.row.lead_unit_id, step.row.pk
        step.save(fields=[])
        step.event(EventKind.CO_VIEW, note=f"{own.unit.name}：{view}")
        step.audit(EventKind.CO_VIEW, after={"unit": own.unit_id})
        step.notify(
            lambda: notify_later(
                user_ids=unit_staff_ids([lead_id] if lead_id else []),
                title=_("协办单位已提交协办意见"),
                suggestion_id=pk,
            )
        )
    return own
