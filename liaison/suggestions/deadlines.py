"""Deadlines of a suggestion, from the settings of its congress's jurisdiction.

- assign: `suggestion_assign_working_days` working days after submission (default 7);
- return request: `suggestion_return_working_days` after assignment (default 7);
- co-handling view: `suggestion_co_view_months` after assignment (default 1);
- answer: `suggestion_reply_months` after assignment, `suggestion_complex_reply_months` when
  staff approve it as complex (代表法 art. 51: three months, at most six);
- re-handling: `suggestion_rehandle_months` after the 不满意 rating (default 1).

Months follow the Civil Code (民法典 art. 201–203): the period ends on the day of the last month
with the start's number, or on that month's last day when it has none (31 Jan + 3 months → 30
April, 30 Nov + 3 months → 28 or 29 February); a period ending on a day off ends on the next
working day. Working days come from `liaison.jurisdiction.calendar`.
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

from liaison.jurisdiction.calendar import WorkingCalendar
from liaison.jurisdiction.selectors import setting_value
from liaison.suggestions import settings_defs as keys


def local_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number `months` later, or that month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _int(key: str, region: str) -> int:
    return int(setting_value(key=key, region=region))


def months_due(*, start: datetime.date, months: int, region: str) -> datetime.date:
    """The last day of a period of `months` from `start` (moved off a day off)."""
    end = add_months(start, months)
    return WorkingCalendar(region).add_working_days(end, 0)


def working_days_due(*, start: datetime.date, key: str, region: str) -> datetime.date:
    return WorkingCalendar(region).add_working_days(start, _int(key, region))


def assign_due_for(*, region: str, submitted_at: datetime.datetime) -> datetime.date:
    return working_days_due(start=local_date(submitted_at), key=keys.ASSIGN_DAYS, region=region)


def return_due_for(*, region: str, assigned_at: datetime.datetime) -> datetime.date:
    return working_days_due(start=local_date(assigned_at), key=keys.RETURN_DAYS, region=region)


def view_due_for(*, region: str, assigned_at: datetime.datetime) -> datetime.date:
    months = _int(keys.CO_VIEW_MONTHS, region)
    return months_due(start=local_date(assigned_at), months=months, region=region)


def answer_due_for(
    *, region: str, assigned_at: datetime.datetime, complex_: bool = False
) -> datetime.date:
    months = _int(keys.COMPLEX_MONTHS if complex_ else keys.REPLY_MONTHS, region)
    return months_due(start=local_date(assigned_at), months=months, region=region)


def rehandle_due_for(*, region: str, rated_at: datetime.datetime) -> datetime.date:
    months = _int(keys.REHANDLE_MONTHS, region)
    return months_due(start=local_date(rated_at), months=months, region=region)


def warning_days(region: str) -> int:
    return _int(keys.WARNING_DAYS, region)


def due_state_of(*, due: datetime.date | None, region: str, today: datetime.date) -> str:
    """ "red" past the due day, "yellow" within the warning window, "" otherwise."""
    if due is None:
        return ""
    if due < today:
        return "red"
    if WorkingCalendar(region).working_days_between(today, due) <= warning_days(region):
        return "yellow"
    return ""
