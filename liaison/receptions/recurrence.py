"""From a schedule's rule to its dates: dateutil's rrule, then the working-day calendar.

Pure apart from the calendar it is handed (decision 0016):

- A rule's occurrence that falls on a statutory holiday (a day the State Council's notice or a
  local override makes a non-working day, including the weekend days inside a holiday period)
  is moved by the jurisdiction's setting: to the next working day, to the previous one, or
  skipped. Make-up working days (调休上班日) are working days, so a move may land on one.
- A plain weekend is not a holiday: a rule that names Saturday or Sunday means the station
  receives on weekends on purpose (for people who work on weekdays), so those dates stay.
- Two occurrences moved onto the same date (a weekly rule across National Day) become one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from liaison.jurisdiction.calendar import WorkingCalendar, statutory_days
from liaison.receptions.models.schedules import Frequency, HolidayMove, MonthParity

ODD_MONTHS = (1, 3, 5, 7, 9, 11)
EVEN_MONTHS = (2, 4, 6, 8, 10, 12)


@dataclass(frozen=True)
class Rule:
    """The recurring part of a schedule as plain values."""

    frequency: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    weekday: int | None = None
    week_of_month: int | None = None
    month_days: tuple[int, ...] = ()
    months: str = MonthParity.ALL
    dates: tuple[datetime.date, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Occurrence:
    planned_on: datetime.date  # what the rule says
    date: datetime.date  # where it is held (moved off a holiday)

    @property
    def moved(self) -> bool:
        return self.planned_on != self.date


def _months(parity: str) -> tuple[int, ...] | None:
    if parity == MonthParity.ODD:
        return ODD_MONTHS
    if parity == MonthParity.EVEN:
        return EVEN_MONTHS
    return None


def rule_dates(rule: Rule, *, until: datetime.date) -> list[datetime.date]:
    """The rule's dates from its start to `until` (or its own end, if earlier), unmoved."""
    end = min(until, rule.ends_on) if rule.ends_on else until
    if end < rule.starts_on:
        return []
    if rule.frequency == Frequency.ONCE:
        return sorted(d for d in set(rule.dates) if rule.starts_on <= d <= end)
    start = datetime.datetime.combine(rule.starts_on, datetime.time())
    stop = datetime.datetime.combine(end, datetime.time())
    months = _months(rule.months)
    if rule.frequency == Frequency.NTH_WEEKDAY:
        assert rule.weekday is not None and rule.week_of_month is not None
        days = rrule(
            MONTHLY,
            dtstart=start,
            until=stop,
            byweekday=weekday(rule.weekday)(rule.week_of_month),
            bymonth=months,
        )
    elif rule.frequency == Frequency.WEEKLY:
        assert rule.weekday is not None
        days = rrule(WEEKLY, dtstart=start, until=stop, byweekday=rule.weekday, bymonth=months)
    elif rule.frequency == Frequency.MONTH_DAYS:
        # A day a month does not have (31 in April) is simply absent that month.
        days = rrule(MONTHLY, dtstart=start, until=stop, bymonthday=rule.month_days, bymonth=months)
    else:
        raise ValueError(f"unknown frequency {rule.frequency!r}")
    return [d.date() for d in days]


def holiday_dates(years: Iterable[int]) -> frozenset[datetime.date]:
    """The statutory holidays (not make-up days) of these years, weekend days inside included."""
    return frozenset(d.date for year in years for d in statutory_days(year) if not d.is_working_day)


def is_blocked(
    day: datetime.date, calendar: WorkingCalendar, holidays: frozenset[datetime.date]
) -> bool:
    """A day a reception cannot be held on: a non-working day that is not a plain weekend."""
    if calendar.is_working_day(day):
        return False
    return day.weekday() < 5 or day in holidays


def occurrences(
    rule: Rule, *, until: datetime.date, calendar: WorkingCalendar, move: str
) -> list[Occurrence]:
    """The rule's occurrences up to `until`, moved off holidays by `move` (HolidayMove)."""
    planned = rule_dates(rule, until=until)
    if not planned:
        return []
    holidays = holiday_dates(range(planned[0].year - 1, planned[-1].year + 2))
    calendar.ensure_loaded(
        planned[0] - datetime.timedelta(days=40), planned[-1] + datetime.timedelta(days=40)
    )
    seen: set[datetime.date] = set()
    result: list[Occurrence] = []
    for day in planned:
        held = day
        if is_blocked(day, calendar, holidays):
            if move == HolidayMove.SKIP:
                continue
            step = (
                calendar.next_working_day
                if move == HolidayMove.NEXT
                else calendar.previous_working_day
            )
            held = step(day)  # a working day, so never blocked
        if held in seen:
            continue
        seen.add(held)
        result.append(Occurrence(planned_on=day, date=held))
    return result
