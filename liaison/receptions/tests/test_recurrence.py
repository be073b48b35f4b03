"""The rule → dates step across the 2025–2027 holidays and make-up working days."""

from __future__ import annotations

import datetime

import pytest

from liaison.jurisdiction.calendar import WorkingCalendar
from liaison.receptions.models import Frequency, HolidayMove, MonthParity
from liaison.receptions.recurrence import Rule, occurrences, rule_dates

pytestmark = pytest.mark.django_db

D = datetime.date
WED, SAT, SUN = 2, 5, 6


def run(rule: Rule, until: datetime.date, move: str = HolidayMove.NEXT) -> list[tuple[D, D]]:
    found = occurrences(rule, until=until, calendar=WorkingCalendar(None), move=move)
    return [(o.planned_on, o.date) for o in found]


def test_first_wednesday_of_october_2025_moves_past_national_day() -> None:
    # 2025-10-01 (Wednesday) is National Day; 10-01..08 are holidays; 10-11 (Sat) is a make-up day.
    rule = Rule(Frequency.NTH_WEEKDAY, D(2025, 9, 1), weekday=WED, week_of_month=1)
    assert run(rule, D(2025, 11, 30)) == [
        (D(2025, 9, 3), D(2025, 9, 3)),
        (D(2025, 10, 1), D(2025, 10, 9)),
        (D(2025, 11, 5), D(2025, 11, 5)),
    ]


def test_previous_and_skip() -> None:
    rule = Rule(Frequency.NTH_WEEKDAY, D(2025, 10, 1), weekday=WED, week_of_month=1)
    assert run(rule, D(2025, 10, 31), HolidayMove.PREVIOUS) == [(D(2025, 10, 1), D(2025, 9, 30))]
    assert run(rule, D(2025, 10, 31), HolidayMove.SKIP) == []


def test_previous_may_land_on_a_make_up_sunday() -> None:
    # 2025-09-28 (Sunday) is a make-up working day before National Day: it counts as working.
    rule = Rule(Frequency.ONCE, D(2025, 9, 1), dates=(D(2025, 9, 29), D(2025, 10, 2)))
    assert run(rule, D(2025, 12, 31), HolidayMove.PREVIOUS) == [
        (D(2025, 9, 29), D(2025, 9, 29)),
        (D(2025, 10, 2), D(2025, 9, 30)),
    ]


def test_weekly_rule_across_national_day_makes_one_reception_of_two() -> None:
    rule = Rule(Frequency.WEEKLY, D(2025, 9, 24), weekday=WED)
    found = run(rule, D(2025, 10, 22))
    assert found == [
        (D(2025, 9, 24), D(2025, 9, 24)),
        (D(2025, 10, 1), D(2025, 10, 9)),  # 10-08 also moves to 10-09: one reception
        (D(2025, 10, 15), D(2025, 10, 15)),
        (D(2025, 10, 22), D(2025, 10, 22)),
    ]


def test_plain_weekend_stays_but_a_holiday_weekend_moves() -> None:
    rule = Rule(Frequency.WEEKLY, D(2025, 9, 20), weekday=SAT)
    found = dict(run(rule, D(2025, 10, 18)))
    assert found[D(2025, 9, 20)] == D(2025, 9, 20)  # a plain Saturday: the station meets then
    assert found[D(2025, 10, 4)] == D(2025, 10, 9)  # inside the National Day holiday
    assert found[D(2025, 10, 11)] == D(2025, 10, 11)  # the make-up Saturday is a working day


def test_spring_festival_2026() -> None:
    # 2026 Spring Festival holiday: 2026-02-15..23; 02-14 (Sat) and 02-28 (Sat) are make-up days.
    rule = Rule(Frequency.MONTH_DAYS, D(2026, 2, 1), month_days=(18,))
    assert run(rule, D(2026, 2, 28)) == [(D(2026, 2, 18), D(2026, 2, 24))]
    assert run(rule, D(2026, 2, 28), HolidayMove.PREVIOUS) == [(D(2026, 2, 18), D(2026, 2, 14))]


def test_odd_months_and_last_weekday() -> None:
    rule = Rule(
        Frequency.NTH_WEEKDAY, D(2027, 1, 1), weekday=4, week_of_month=-1, months=MonthParity.ODD
    )
    dates = rule_dates(rule, until=D(2027, 6, 30))
    assert dates == [D(2027, 1, 29), D(2027, 3, 26), D(2027, 5, 28)]


def test_even_months_month_days_without_a_31st() -> None:
    rule = Rule(Frequency.MONTH_DAYS, D(2027, 1, 1), month_days=(31,), months=MonthParity.EVEN)
    assert rule_dates(rule, until=D(2027, 12, 31)) == [
        D(2027, 8, 31),
        D(2027, 10, 31),
        D(2027, 12, 31),
    ]


def test_end_date_and_unknown_frequency() -> None:
    rule = Rule(Frequency.WEEKLY, D(2027, 3, 1), ends_on=D(2027, 3, 10), weekday=0)
    assert rule_dates(rule, until=D(2027, 12, 31)) == [D(2027, 3, 1), D(2027, 3, 8)]
    assert rule_dates(Rule(Frequency.WEEKLY, D(2027, 3, 1), weekday=0), until=D(2027, 2, 1)) == []
    with pytest.raises(ValueError):
        rule_dates(Rule("monthly", D(2027, 3, 1)), until=D(2027, 4, 1))


def test_a_local_override_holiday_moves_too() -> None:
    from liaison.jurisdiction.models import CalendarOverride

    CalendarOverride.objects.create(
        region=None, date=D(2027, 3, 3), is_working_day=False, name="本地假日"
    )
    rule = Rule(Frequency.ONCE, D(2027, 3, 1), dates=(D(2027, 3, 3),))
    assert run(rule, D(2027, 3, 31)) == [(D(2027, 3, 3), D(2027, 3, 4))]
