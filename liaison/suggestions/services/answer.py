"""The lead unit's answer, the deputy's rating, re-handling, publication."""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.cases.models import Case
from liaison.cases.services.texts import clean_text, tell_submitters_later
from liaison.common.uploads import CleanFile
from liaison.suggestions.deadlines import rehandle_due_for
from liaison.suggestions.models import (
    RATINGS_CHOSEN,
    Contact,
    Cosigner,
    EventKind,
    Grade,
    Rating,
    SourceKind,
    Status,
    Suggestion,
    SuggestionSource,
)
from liaison.suggestions.services.common import notify_later, reviewer_ids, unit_staff_ids
from liaison.suggestions.services.flow import suggestion_begin


def contact_record(
    *, suggestion: Suggestion, actor: User, method: str, on: datetime.date | None
) -> Suggestion:
    """The lead unit met, phoned or visited the deputy before answering (面商/电话/走访)."""
    if method not in Contact.values:
        raise ValidationError({"method": _("请选择沟通方式：面商、电话或走访")})
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": _("请填写已进行沟通的日期（不能晚于今天）")})
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="contact", actor=actor)
        row = step.row
        row.contact_method, row.contacted_on = method, on
        step.save(fields=["contact_method", "contacted_on"])
        label = Contact(method).label
        step.event(EventKind.CONTACTED, note=f"{label} {on.isoformat()}")
        step.audit(EventKind.CONTACTED, after={"method": method, "on": on})
    return row


def _check_answer(
    *, grade: str, answer: str, reason: str, promised_on: datetime.date | None, letter: object
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if grade not in Grade.values:
        errors["grade"] = _("请选择办理类别（A、B、C）")
    if not answer:
        errors["answer"] = _("请填写答复摘要")
    if grade == Grade.B and (promised_on is None or promised_on <= timezone.localdate()):
        errors["promised_on"] = _("B类答复须填写今后的承诺解决日期")
    if grade == Grade.C and not reason:
        errors["reason"] = _("C类答复须说明暂不能解决的理由")
    if letter is None:
        errors["letter"] = _("请上传加盖公章的正式答复函（PDF）")
    return errors


def suggestion_answer(
    *,
    suggestion: Suggestion,
    actor: User,
    grade: str,
    answer: str,
    letter: CleanFile | None,
    promised_on: datetime.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Suggestion:
    """答复: graded A/B/C with the official letter, after contact with the deputy."""
    answer = clean_text(answer, field="answer", limit=5_000)
    reason = clean_text(reason, field="reason", limit=2_000)
    errors = _check_answer(
        grade=grade, answer=answer, reason=reason, promised_on=promised_on, letter=letter
    )
    if errors:
        raise ValidationError(errors)
    assert letter is not None
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion,
            action="answer",
            actor=actor,
            expected_version=expected_version,
            target=Status.ANSWERED,
        )
        row = step.row
        now = timezone.now()
        row.grade, row.answer, row.unsolved_reason = grade, answer, reason
        row.promised_on = promised_on if grade == Grade.B else None
        row.promise_overdue = False
        row.answered_late = row.due_on is not None and timezone.localdate() > row.due_on
        row.answered_at, row.due_on, row.due_state = now, None, ""
        row.letter.save(letter.random_name(), letter.as_file(), save=False)
        users = _deputy_user_ids(row)
        step.finish(
            fields=[
                "grade",
                "answer",
                "unsolved_reason",
                "promised_on",
                "promise_overdue",
                "answered_late",
                "answered_at",
                "due_on",
                "due_state",
                "letter",
            ],
            kind=EventKind.ANSWERED,
            note=_("答复（%(g)s类）") % {"g": grade},
            data={"grade": grade, "promised_on": promised_on},
            notify=[
                lambda: notify_later(
                    user_ids=users,
                    title=_("您的建议“%(t)s”已答复，请评价") % {"t": row.title},
                    suggestion_id=row.pk,
                )
            ],
        )
    return row


def _deputy_user_ids(row: Suggestion) -> list[int]:
    ids = [row.author.user_id] if row.author.user_id else []
    ids += [
        uid
        for uid in Cosigner.objects.filter(
            suggestion=row, state=Cosigner.State.CONFIRMED, deputy__user__isnull=False
        ).values_list("deputy__user_id", flat=True)
        if uid
    ]
    return ids


def suggestion_rate(
    *, suggestion: Suggestion, actor: User, rating: str, comment: str = ""
) -> Suggestion:
    """The deputy rates the answer. 不满意 the first time sends it back for re-handling (due in a
    month); otherwise the suggestion is closed and the people whose cases it came from hear."""
    if rating not in RATINGS_CHOSEN:
        raise ValidationError({"rating": _("请选择评价：满意、基本满意或不满意")})
    if Suggestion.objects.filter(pk=suggestion.pk, rating=Rating.UNRATED).exists():
        raise ValidationError(
            {"rating": _("已超过评价期限，系统已按“未评价”办结该建议，不能再评价。")}
        )
    comment = clean_text(comment, field="comment", limit=2_000)
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationError({"comment": _("不满意时请写明意见，以便承办单位重新办理")})
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action="rate", actor=actor)
        row = step.row
        now = timezone.now()
        reopen = rating == Rating.UNSATISFIED and not row.rehandled
        row.rating, row.rating_comment, row.rated_at = rating, comment, now
        fields = ["rating", "rating_comment", "rated_at"]
        if reopen:
            step.move_to(Status.REHANDLING)
            row.rehandled, row.first_rating = True, rating
            row.due_on = rehandle_due_for(region=row.congress_id, rated_at=now)
            row.due_state = ""
            row.contact_method, row.contacted_on = "", None
            fields += [
                "rehandled",
                "first_rating",
                "due_on",
                "due_state",
                "contact_method",
                "contacted_on",
            ]
            unit_id = row.lead_unit_id
            notify = [
                lambda: notify_later(
                    user_ids=unit_staff_ids([unit_id] if unit_id else []),
                    title=_("代表对答复不满意，请于 %(d)s 前重新办理") % {"d": row.due_on},
                    suggestion_id=row.pk,
                )
            ]
        else:
            step.move_to(Status.CLOSED)
            row.closed_at = now
            fields.append("closed_at")
            notify = [lambda: _tell_closed(row)]
        step.finish(
            fields=fields,
            kind=EventKind.RATED,
            note=f"{Rating(rating).label} {comment}".strip(),
            data={"rating": rating, "rehandle": reopen},
        )
        step.notify(*notify)
        if not reopen:
            for case in Case.objects.filter(
                pk__in=SuggestionSource.objects.filter(
                    suggestion_id=row.pk, kind=SourceKind.CASE
                ).values("case_id")
            ):
                tell_submitters_later(
                    case,
                    template=_(
                        "【人大代表联络站】您反映的意见（%(code)s）已被代表写入建议%(number)s，"
                        "承办单位已答复：%(answer)s %(url)s"
                    ),
                    extra={"number": row.number_label, "answer": row.answer[:60]},
                    duplicates=True,
                )
    return row


def _tell_closed(row: Suggestion) -> None:
    notify_later(
        user_ids=reviewer_ids(row.congress_id),
        title=_("代表建议%(n)s已办结") % {"n": row.number_label},
        suggestion_id=row.pk,
    )


def suggestion_publication_set(
    *, suggestion: Suggestion, actor: User, allow: bool, side: Literal["deputy", "congress"]
) -> Suggestion:
    """The deputy's (`side="deputy"`, the author) or the congress's (`"congress"`, its staff)
    consent to publish; both are needed, both are off by default."""
    field = "deputy_allows_publication" if side == "deputy" else "congress_allows_publication"
    with transaction.atomic():
        step = suggestion_begin(suggestion=suggestion, action=f"publish_{side}", actor=actor)
        row = step.row
        before = {field: getattr(row, field)}
        setattr(row, field, allow)
        step.save(fields=[field])
        step.event(EventKind.PUBLICATION, note=_("同意公开") if allow else _("不公开"))
        step.audit(EventKind.PUBLICATION, before=before, after={field: allow})
    return row
