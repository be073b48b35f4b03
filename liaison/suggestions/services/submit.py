"""Submitting: the congress's rules, then a number per session without gaps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.jurisdiction.selectors import setting_value
from liaison.suggestions import settings_defs as keys
from liaison.suggestions.deadlines import assign_due_for
from liaison.suggestions.models import (
    CongressSession,
    Cosigner,
    EventKind,
    Kind,
    Status,
    Suggestion,
)
from liaison.suggestions.services.common import notify_later, reviewer_ids
from liaison.suggestions.services.flow import suggestion_begin


def check_rules(suggestion: Suggestion, session: CongressSession) -> None:
    """Every rule of the congress the suggestion breaks, in one Chinese message."""
    problems: list[str] = []
    today = timezone.localdate()
    region = suggestion.congress_id
    if not session.is_open(today):
        problems.append(
            _("不在建议受理期内（%(a)s 至 %(b)s）")
            % {"a": session.opens_on.isoformat(), "b": session.closes_on.isoformat()}
        )
    if not (suggestion.problem and suggestion.proposal):
        problems.append(_("请填写存在的问题和具体建议"))
    limit = int(setting_value(key=keys.MAX_CHARS, region=region))
    if suggestion.body_length > limit:
        problems.append(
            _("正文不能超过 %(n)s 字（现为 %(m)s 字）") % {"n": limit, "m": suggestion.body_length}
        )
    if suggestion.kind == Kind.JOINT:
        needed = int(setting_value(key=keys.JOINT_MIN, region=region))
        confirmed = Cosigner.objects.filter(
            suggestion_id=suggestion.pk, state=Cosigner.State.CONFIRMED
        ).count()
        if confirmed < needed:
            problems.append(
                _("联名建议至少须有 %(n)s 名代表确认附议（现有 %(m)s 名）")
                % {"n": needed, "m": confirmed}
            )
    if problems:
        raise ValidationError(problems)


def suggestion_submit(
    *, suggestion: Suggestion, actor: User, expected_version: int | None = None
) -> Suggestion:
    """File the suggestion with its congress; the first submission takes the session's next
    number (the session row is locked, so concurrent submissions never share or skip one)."""
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion,
            action="submit",
            actor=actor,
            expected_version=expected_version,
            target=Status.SUBMITTED,
        )
        row = step.row
        session = CongressSession.objects.select_for_update().get(pk=row.session_id)
        check_rules(row, session)
        fields = ["submitted_at", "due_on", "due_state"]
        if row.number is None:
            session.last_number += 1
            session.save(update_fields=["last_number"])
            row.number = session.last_number
            fields.append("number")
        row.submitted_at = timezone.now()
        row.due_on = assign_due_for(region=row.congress_id, submitted_at=row.submitted_at)
        row.due_state = ""
        number, pk, congress = row.number, row.pk, row.congress_id
        step.finish(
            fields=fields,
            kind=EventKind.SUBMITTED,
            note=_("提交建议，编号第 %(n)s 号") % {"n": number},
            data={"number": number},
            notify=[
                lambda: notify_later(
                    user_ids=reviewer_ids(congress),
                    title=_("新的代表建议第 %(n)s 号待审查") % {"n": number},
                    suggestion_id=pk,
                )
            ],
        )
    return row
