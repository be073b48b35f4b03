"""Moves at the end of the loop: rating (不满意 reopens), closing, withdrawing (merging and
un-merging are in `merging.py`)."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.deadlines import reply_due_for
from liaison.cases.models import (
    Case,
    CaseEvent,
    EventKind,
    Rating,
    Status,
)
from liaison.cases.services.common import (
    add_event,
    case_event,
    clear_due,
    lock_with_duplicates,
    notify_later,
)
from liaison.cases.services.flow import case_begin
from liaison.cases.services.texts import clean_text, public_text
from liaison.cases.workflow import CONSTITUENT, SYSTEM
from liaison.jurisdiction.selectors import setting_value
from liaison.workflow.flow import Step

MAX_COMMENT: Final = 500
MAX_REASON: Final = 500
# Five-level 好差评 onto the three-level rating the KPIs use.
FIVE_TO_THREE: Final = {
    5: Rating.SATISFIED,
    4: Rating.SATISFIED,
    3: Rating.BASIC,
    2: Rating.UNSATISFIED,
    1: Rating.UNSATISFIED,
}


def _rating_of(*, region: str, rating: str, score: int | None) -> tuple[str, int | None]:
    scale = setting_value(key="rating_scale", region=region)
    if scale == "five":
        if not isinstance(score, int) or isinstance(score, bool) or score not in FIVE_TO_THREE:
            raise ValidationError({"score": _("请选择 1 至 5 分的评价")})
        return FIVE_TO_THREE[score], score
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意")})
    return rating, None


def case_evaluate(
    *,
    case: Case,
    rating: str,
    score: int | None = None,
    comment: str = "",
    actor: User | None = None,
    expected_version: int | None = None,
) -> Case:
    """The person's rating (or one taken by phone by staff); 不满意 reopens the case."""
    rating, score = _rating_of(region=case.region_id, rating=rating, score=score)
    comment = clean_text(comment, field="comment", limit=MAX_COMMENT)
    with transaction.atomic():
        step = case_begin(
            case=case,
            action="rate",
            target=Status.EVALUATED,
            actor=actor,
            expected_version=expected_version,
            nobody=CONSTITUENT,
        )
        case = step.row
        now = timezone.now()
        case.rating, case.rating_score, case.rating_comment = rating, score, comment
        case.rated_at = now
        fields = ["rating", "rating_score", "rating_comment", "rated_at"]
        label = str(Rating(rating).label)
        note = _("评价：%(r)s") % {"r": label}
        if comment:
            note += "。" + public_text(case, comment)
        step.event(EventKind.EVALUATED, note=note, data={"rating": rating, "score": score})
        if rating == Rating.UNSATISFIED:
            fields += _reopen(step)
        step.save(fields=fields)
        step.audit(EventKind.EVALUATED)
    return case


def _reopen(step: Step[Case]) -> list[str]:
    """不满意: back to the same handler with a new due date (the system's move)."""
    step.move_to(Status.ASSIGNED, role=SYSTEM)
    case = step.row
    case.reopen_count += 1
    case.published_at = None  # off the echo wall until the new answer
    case.assigned_at = timezone.now()
    case.reply_due = reply_due_for(region=case.region_id, assigned_at=case.assigned_at)
    add_event(
        case,
        EventKind.REOPENED,
        actor=None,
        role=SYSTEM,
        from_status=Status.EVALUATED,
        to_status=Status.ASSIGNED,
        note=_("您对答复不满意，已退回重新办理，答复期限 %(due)s")
        % {"due": case.reply_due.isoformat()},
        data={"reopen_count": case.reopen_count, "reply_due": case.reply_due},
    )
    has_handler = case.unit_id is not None or case.assigned_deputy_id is not None
    notify_later(
        case,
        title=_("群众不满意，请重新办理"),
        body=_("请在 %(due)s 前重新答复。") % {"due": case.reply_due},
        unit=True,
        deputy=True,
        station=not has_handler,
    )
    return ["reopen_count", "published_at", "assigned_at", "reply_due", *clear_due(case)]


def case_close(
    *,
    case: Case,
    actor: User | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """办结 by staff, or by the system (`actor=None`) when no rating came in time."""
    note = clean_text(note, field="note", limit=1_000)
    with transaction.atomic():
        duplicates = lock_with_duplicates(case.pk)
        step = case_begin(
            case=case,
            action="close",
            target=Status.CLOSED,
            actor=actor,
            expected_version=expected_version,
        )
        case = step.row
        now = timezone.now()
        case.closed_at = now
        step.finish(
            fields=["closed_at", *clear_due(case)],
            kind=EventKind.CLOSED,
            note=_("已办结"),
            data={"note": note} if note else {},
        )
        if duplicates:
            Case.objects.filter(pk__in=duplicates).update(closed_at=now)
            CaseEvent.objects.bulk_create(
                case_event(
                    pk,
                    EventKind.CLOSED,
                    note=_("与您反映相同问题的意见已办结"),
                    data={"primary": case.pk},
                    public=True,
                )
                for pk in duplicates
            )
    return case


def case_withdraw(*, case: Case, reason: str = "") -> Case:
    """撤回 by the person while nothing has been answered."""
    reason = clean_text(reason, field="reason", limit=MAX_REASON)
    with transaction.atomic():
        step = case_begin(
            case=case, action="withdraw", target=Status.WITHDRAWN, actor=None, nobody=CONSTITUENT
        )
        case = step.row
        note = _("群众已撤回")
        if reason:
            note += "：" + public_text(case, reason)
        step.finish(fields=clear_due(case), kind=EventKind.WITHDRAWN, note=note)
        notify_later(case, title=_("群众已撤回"), unit=True, deputy=True, station=True)
    return case
