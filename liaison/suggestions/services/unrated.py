"""Answers the deputy never rated: after `suggestion_rating_window_days` (default 30) days from
the answer, the worker closes them as 未评价 (decision 0040). The deputy may not rate after that;
the handling table counts them neither satisfied nor unsatisfied (they have no `rated_at`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.jurisdiction.selectors import setting_value
from liaison.suggestions import settings_defs as keys
from liaison.suggestions.models import EventKind, Rating, Status, Suggestion
from liaison.suggestions.services.common import notify_later, reviewer_ids
from liaison.suggestions.services.flow import suggestion_begin


def rating_deadline(suggestion: Suggestion) -> datetime.date | None:
    """The last day the deputy may rate the answer (None before an answer)."""
    if suggestion.answered_at is None:
        return None
    days = int(setting_value(key=keys.RATING_DAYS, region=suggestion.congress_id))
    return timezone.localdate(suggestion.answered_at) + datetime.timedelta(days=days)


def suggestion_close_unrated(*, suggestion: Suggestion) -> Suggestion:
    """Close one answered suggestion as 未评价 (the system acts; an event and the staff hear)."""
    with transaction.atomic():
        step = suggestion_begin(
            suggestion=suggestion, action="close_unrated", actor=None, target=Status.CLOSED
        )
        row = step.row
        deadline = rating_deadline(row)
        row.rating, row.closed_at = Rating.UNRATED, timezone.now()
        step.finish(
            fields=["rating", "closed_at"],
            kind=EventKind.UNRATED,
            note=_("代表在评价期限（%(d)s）内未评价，按“未评价”办结") % {"d": deadline},
            notify=[
                lambda: notify_later(
                    user_ids=reviewer_ids(row.congress_id),
                    title=_("代表建议%(n)s逾期未评价，已办结") % {"n": row.number_label},
                    suggestion_id=row.pk,
                )
            ],
        )
    return row


def close_unrated_suggestions(*, today: datetime.date | None = None) -> int:
    """Close every answered suggestion whose rating window ended before `today`; how many.

    One query per congress with answered suggestions waiting, each with its own setting."""
    today = today or timezone.localdate()
    waiting = Suggestion.objects.filter(status=Status.ANSWERED)
    closed = 0
    for congress in waiting.values_list("congress_id", flat=True).distinct().order_by():
        days = int(setting_value(key=keys.RATING_DAYS, region=congress))
        # Answered before this day began: the window (answer day + days) ended before today.
        cutoff = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
        )
        for row in waiting.filter(congress_id=congress, answered_at__lt=cutoff).order_by("pk"):
            suggestion_close_unrated(suggestion=row)
            closed += 1
    return closed
