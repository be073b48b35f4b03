"""Putting deputies on posts and taking them off again; the history is never deleted."""

from __future__ import annotations

import datetime
from typing import Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, snapshot
from liaison.deputies.models import Deputy
from liaison.deputies.selectors import deputies_visible_to
from liaison.grids.models import Post, PostAssignment
from liaison.grids.services.common import ensure_manages, lock_post

ASSIGNMENT_FIELDS: Final = ("post", "deputy", "starts_on", "ends_on", "end_reason")
# Dates further ahead than this are typing mistakes (2062 for 2026), not plans.
MAX_DAYS_AHEAD: Final = 366
REASON_LIMIT: Final = 200


def _too_far_ahead(day: datetime.date) -> bool:
    return day > timezone.localdate() + datetime.timedelta(days=MAX_DAYS_AHEAD)


def _span(assignment: PostAssignment) -> str:
    start = assignment.starts_on.isoformat()
    if assignment.ends_on is None:
        return _("自 %(start)s 起") % {"start": start}
    return _("%(start)s 至 %(end)s") % {"start": start, "end": assignment.ends_on.isoformat()}


def _overlapping(*, post: Post, deputy: Deputy, start: datetime.date) -> PostAssignment | None:
    """The deputy's assignment to the post that is open or ends on or after `start`, if any."""
    return (
        PostAssignment.objects.filter(post=post, deputy=deputy)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("starts_on")
        .first()
    )


def post_assign(*, post: Post, deputy: Deputy, actor: User, start: datetime.date) -> PostAssignment:
    """Put a deputy on a post from `start` on. Deputies of any level may share a post; the same
    deputy may hold it again later, but never twice at once."""
    with transaction.atomic():
        post = lock_post(post)
        ensure_manages(actor, post.grid)
        if not post.is_active or not post.grid.is_active:
            raise ValidationError(_("岗位“%(post)s”已停用，不能安排代表。") % {"post": post.name})
        errors: dict[str, str] = {}
        if not deputy.is_active:
            errors["deputy"] = _("“%(name)s”已不在任，不能安排上岗") % {"name": deputy.name}
        elif not deputies_visible_to(actor).filter(pk=deputy.pk).exists():
            errors["deputy"] = _("代表“%(name)s”不在您的管辖范围内，不能安排到该岗位") % {
                "name": deputy.name
            }
        if _too_far_ahead(start):
            errors["start"] = _("上岗日期不能晚于一年以后")
        if errors:
            raise ValidationError(errors)
        overlapping = _overlapping(post=post, deputy=deputy, start=start)
        if overlapping is not None:
            raise ValidationError(
                {
                    "deputy": _(
                        "代表“%(name)s”在该岗位已有任职（%(span)s），与上岗日期 %(start)s 重叠，"
                        "不能重复安排"
                    )
                    % {"name": deputy.name, "span": _span(overlapping), "start": start.isoformat()}
                }
            )
        try:
            with transaction.atomic():
                assignment = PostAssignment.objects.create(
                    post=post, deputy=deputy, starts_on=start
                )
        except IntegrityError:
            raise ValidationError(
                {"deputy": _("代表“%(name)s”已在该岗位任职，不能重复安排") % {"name": deputy.name}}
            ) from None
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=assignment,
            object_label=f"{deputy.name} @ {post.grid.name} / {post.name}",
            region_code=post.grid.region_id,
            after=snapshot(assignment, ASSIGNMENT_FIELDS),
        )
    return assignment


def assignment_end(
    *, assignment: PostAssignment, actor: User, end: datetime.date, reason: str = ""
) -> PostAssignment:
    """Take a deputy off a post: `end` is their last day on it (it may lie ahead, a planned
    departure). The row stays, with the date and the reason."""
    with transaction.atomic():
        post = lock_post(assignment.post)
        ensure_manages(actor, post.grid)
        assignment = (
            PostAssignment.objects.select_for_update(of=("self",))
            .select_related("deputy")
            .get(pk=assignment.pk)
        )
        if assignment.ends_on is not None:
            raise ValidationError(
                _("该任职已于 %(end)s 结束，不能再次办理离岗。")
                % {"end": assignment.ends_on.isoformat()}
            )
        errors: dict[str, str] = {}
        if end < assignment.starts_on:
            errors["end"] = _("离岗日期不能早于上岗日期（%(start)s）") % {
                "start": assignment.starts_on.isoformat()
            }
        elif _too_far_ahead(end):
            errors["end"] = _("离岗日期不能晚于一年以后")
        reason = reason.strip()
        if len(reason) > REASON_LIMIT:
            errors["reason"] = _("离岗原因不能超过 %(n)d 个字") % {"n": REASON_LIMIT}
        if errors:
            raise ValidationError(errors)
        assignment.ends_on = end
        assignment.end_reason = reason
        assignment.save(update_fields=["ends_on", "end_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=assignment,
            object_label=f"{assignment.deputy.name} @ {post.grid.name} / {post.name}",
            region_code=post.grid.region_id,
            before={"ends_on": None, "end_reason": ""},
            after={"ends_on": end.isoformat(), "end_reason": reason},
        )
    return assignment
