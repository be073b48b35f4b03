"""Moves at the end of the loop: rating (不满意 reopens), closing, merging and un-merging,
withdrawing."""

from __future__ import annotations

from typing import Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.deadlines import reply_due_for
from liaison.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    EventKind,
    Rating,
    Status,
)
from liaison.cases.permissions import actor_roles_for
from liaison.cases.services.common import add_event, case_event, clear_due, notify_later
from liaison.cases.services.flow import CASES, case_begin
from liaison.cases.services.texts import clean_text, public_text
from liaison.cases.workflow import CONSTITUENT, SYSTEM
from liaison.jurisdiction.selectors import setting_value
from liaison.workflow.flow import Step, workflow_step

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
        duplicates = list(Case.objects.filter(merged_into=case).values_list("pk", flat=True))
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


def case_merge(
    *, case: Case, primary: Case, actor: User, expected_version: int | None = None
) -> Case:
    """合并: `case` is a duplicate followed through `primary` (open, same county)."""
    if case.pk == primary.pk:
        raise ValidationError({"primary": _("不能合并到自身")})
    seen = case
    with transaction.atomic():
        # Both rows locked, in id order so that two merges cannot deadlock.
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update()
            .filter(pk__in=[case.pk, primary.pk])
            .order_by("pk")
        }
        case, primary = locked[case.pk], locked[primary.pk]
        CASES.check_version(case, expected_version)
        role = CASES.check_action(case, "merge", actor, seen=seen)
        step = workflow_step(
            CASES, row=case, role=role, actor=actor, action="merge", target=Status.MERGED
        )
        if not actor_roles_for(actor, primary):
            raise PermissionDenied
        if primary.status not in OPEN_STATUSES or primary.merged_into_id is not None:
            raise ValidationError({"primary": _("主件已办结、撤回或已被合并，不能作为主件")})
        if primary.region_id[:6] != case.region_id[:6]:
            raise ValidationError({"primary": _("只能合并同一辖区的意见")})
        case.merged_into = primary
        step.save(fields=["merged_into", *clear_due(case)])
        # Duplicates of this case now follow the primary too.
        followers = Case.objects.filter(merged_into=case).update(merged_into=primary)
        step.event(
            EventKind.MERGED,
            note=_("已与反映相同问题的意见合并办理，办理结果将一并告知您"),
            data={"primary": primary.pk},
        )
        step.event(
            EventKind.NOTE,
            subject=primary,
            note=_("合并了意见 %(code)s") % {"code": case.tracking_code},
            data={"merged": case.pk, "followers": followers},
        )
        step.audit(
            EventKind.MERGED,
            after={"status": Status.MERGED, "merged_into": primary.pk},
        )
    return case


def case_unmerge(
    *, case: Case, actor: User, note: str = "", expected_version: int | None = None
) -> Case:
    """撤销合并: a duplicate merged by mistake is handled on its own again, in the status it had
    when it was merged (read from the merge event)."""
    note = clean_text(note, field="note", limit=MAX_REASON)
    with transaction.atomic():
        step = case_begin(
            case=case, actor=actor, action="unmerge", expected_version=expected_version
        )
        case = step.row
        merged = (
            CaseEvent.objects.filter(case=case, kind=EventKind.MERGED)
            .order_by("-at", "-id")
            .first()
        )
        if merged is None or merged.from_status not in (Status.SUBMITTED, Status.ACCEPTED):
            raise ValidationError(_("找不到该件合并前的状态，无法撤销合并，请联系系统管理员。"))
        step.move_to(merged.from_status)
        primary_id = case.merged_into_id
        case.merged_into = None
        # While merged the case only mirrored the primary's outcome (merging starts before any
        # answer): it is its own case again, without the primary's answer.
        case.reply, case.replied_at, case.closed_at = "", None, None
        step.save(fields=["merged_into", "reply", "replied_at", "closed_at"])
        step.event(
            EventKind.UNMERGED,
            note=_("已撤销合并，您反映的意见将单独办理"),
            data={"primary": primary_id, **({"note": note} if note else {})},
        )
        primary = Case.objects.filter(pk=primary_id).first() if primary_id else None
        if primary is not None:
            step.event(
                EventKind.NOTE,
                subject=primary,
                note=_("撤销了意见 %(code)s 的合并") % {"code": case.tracking_code},
                data={"unmerged": case.pk},
            )
        step.audit(
            EventKind.UNMERGED,
            before={"status": Status.MERGED, "merged_into": primary_id},
            after={"status": case.status, "merged_into": None},
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
