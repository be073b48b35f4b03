"""延期: the handler asks for more working days; congress staff approve or refuse."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.deadlines import extend_due, extension_days_available
from liaison.cases.models import Case, EventKind, ExtensionRequest, Status
from liaison.cases.services.common import clear_due, notify_later
from liaison.cases.services.errors import CaseConflict
from liaison.cases.services.flow import CASES, case_begin, status_label
from liaison.cases.services.texts import clean_text
from liaison.workflow.flow import workflow_step

MAX_REASON: Final = 1_000


def extension_request(*, case: Case, actor: User, days: int, reason: str) -> ExtensionRequest:
    """The lead unit (or the assigned deputy) asks for `days` more working days, with a reason."""
    reason = clean_text(reason, field="reason", limit=MAX_REASON, required=_("请填写延期理由"))
    if not isinstance(days, int) or isinstance(days, bool):
        raise ValidationError({"days": _("请填写延长的工作日数")})
    with transaction.atomic():
        step = case_begin(case=case, actor=actor, action="extension_request")
        case = step.row
        # The action table has refused a round whose days are used up (`extension_left`).
        available = extension_days_available(case)
        if not 1 <= days <= available:
            raise ValidationError(
                {"days": _("延长天数应为 1 至 %(n)s 个工作日") % {"n": available}}
            )
        request = ExtensionRequest.objects.create(
            case=case, requested_days=days, reason=reason, requested_by=actor
        )
        step.event(
            EventKind.EXTENSION_REQUESTED,
            note=_("申请延长 %(n)s 个工作日：%(r)s") % {"n": days, "r": reason},
            data={"request": request.pk, "days": days},
        )
        step.audit(
            EventKind.EXTENSION_REQUESTED, before={}, after={"request": request.pk, "days": days}
        )
        notify_later(
            case,
            title=_("延期申请待审批"),
            body=_("申请延长 %(n)s 个工作日：%(r)s") % {"n": days, "r": reason},
            congress=True,
            exclude=actor,
        )
    return request


def extension_decide(
    *, request: ExtensionRequest, actor: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    """Congress staff approve (the reply due date moves by the days asked) or refuse."""
    note = clean_text(note, field="note", limit=500)
    with transaction.atomic():
        case = CASES.lock(request.case_id)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.decision != ExtensionRequest.Decision.PENDING:
            raise CaseConflict(current_status_label=str(request.get_decision_display()))
        role = CASES.check_action(
            case, "extension_decide", actor, facts={"pending_extension": True}
        )
        step = workflow_step(CASES, row=case, role=role, actor=actor, action="extension_decide")
        if approve and case.status != Status.ASSIGNED:
            raise CaseConflict(current_status_label=status_label(case.status))
        request.decision = (
            ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REFUSED
        )
        request.decided_by, request.decided_at = actor, timezone.now()
        request.decision_note = note
        request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        before_due = case.reply_due
        if approve:
            base = case.reply_due or timezone.localdate()
            case.reply_due = extend_due(
                due=base, region=case.region_id, days=request.requested_days
            )
            step.save(fields=["reply_due", *clear_due(case)])
        result = (
            _("已批准，答复期限延至 %(due)s") % {"due": case.reply_due}
            if approve
            else _("不予批准")
        )
        step.event(
            EventKind.EXTENSION_DECIDED,
            note=f"{result}{'。' + note if note else ''}",
            data={
                "request": request.pk,
                "approved": approve,
                "days": request.requested_days,
                "reply_due": case.reply_due,
            },
        )
        step.audit(
            EventKind.EXTENSION_DECIDED,
            before={"reply_due": before_due},
            after={"reply_due": case.reply_due, "decision": request.decision},
        )
        notify_later(
            case,
            title=_("延期申请%(r)s") % {"r": request.get_decision_display()},
            body=result,
            unit=True,
            deputy=True,
            users=[request.requested_by_id],
            exclude=actor,
        )
    return request
