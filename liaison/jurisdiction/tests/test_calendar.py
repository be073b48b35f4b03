"""Working days across the 2025–2026 holidays, make-up days, local overrides and unknown years."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine
from django.utils import timezone

from liaison.jurisdiction import calendar as cal
from liaison.jurisdiction.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    statutory_days,
    statutory_year_known,
    working_days_between,
)
from liaison.jurisdiction.models import CalendarOverride
from liaison.regions.tests.factories import (
    CHANGSHA,
    CHANGSHA_COUNTY,
    YUELU,
    YUELU_STREET,
    region,
)

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def days(start: D, end: D) -> Iterator[D]:
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


# --- the national calendar (no database rows) -------------------------------------------------


@pytest.mark.django_db
class TestStatutoryHolidays:
    def test_2025_spring_festival_and_its_make_up_days(self) -> None:
        assert all(not is_working_day(d) for d in days(D(2025, 1, 28), D(2025, 2, 4)))
        assert is_working_day(D(2025, 1, 26))  # Sunday, make-up working day
        assert is_working_day(D(2025, 2, 8))  # Saturday, make-up working day
        assert is_working_day(D(2025, 1, 27))  # Monday before the holiday
        assert is_working_day(D(2025, 2, 5))  # first day back
        assert not is_working_day(D(2025, 2, 9))  # an ordinary Sunday

    def test_2025_national_day_and_its_make_up_days(self) -> None:
        assert all(not is_working_day(d) for d in days(D(2025, 10, 1), D(2025, 10, 8)))
        assert is_working_day(D(2025, 9, 28))  # Sunday
        assert is_working_day(D(2025, 10, 11))  # Saturday
        assert is_working_day(D(2025, 9, 30))
        assert is_working_day(D(2025, 10, 9))

    def test_2026_spring_festival_follows_the_state_council_notice(self) -> None:
        # 国务院办公厅关于2026年部分节假日安排的通知 (as chinese_calendar 1.11 encodes it):
        # 2月15日至23日放假调休，共9天；2月14日（周六）、2月28日（周六）上班。
        assert all(not is_working_day(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
        assert is_working_day(D(2026, 2, 14))
        assert D(2026, 2, 14).weekday() == 5
        assert is_working_day(D(2026, 2, 28))
        assert D(2026, 2, 28).weekday() == 5
        assert is_working_day(D(2026, 2, 24))

    def test_2026_national_day_follows_the_state_council_notice(self) -> None:
        # 10月1日至7日放假调休，共7天；9月20日（周日）、10月10日（周六）上班。
        assert all(not is_working_day(d) for d in days(D(2026, 10, 1), D(2026, 10, 7)))
        assert is_working_day(D(2026, 9, 20))
        assert D(2026, 9, 20).weekday() == 6
        assert is_working_day(D(2026, 10, 10))
        assert D(2026, 10, 10).weekday() == 5
        assert is_working_day(D(2026, 10, 8))

    @pytest.mark.parametrize("year", [2025, 2026])
    def test_every_day_agrees_with_the_package(self, year: int) -> None:
        calendar = WorkingCalendar()
        for day in days(D(year, 1, 1), D(year, 12, 31)):
            assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day

    def test_statutory_days_have_chinese_names(self) -> None:
        listed = {d.date: d for d in statutory_days(2025)}
        assert listed[D(2025, 1, 28)].name == "春节"
        assert not listed[D(2025, 1, 28)].is_working_day
        assert listed[D(2025, 10, 11)].is_working_day
        assert listed[D(2025, 10, 11)].name == "国庆节"
        assert D(2025, 3, 1) not in listed  # an ordinary weekend is not listed

    def test_years_known_to_the_package(self) -> None:
        assert statutory_year_known(2025)
        assert statutory_year_known(2026)
        assert not statutory_year_known(2031)
        assert statutory_days(2031) == []

    def test_an_aware_datetime_is_read_in_china_time(self) -> None:
        # 2025-09-30 20:00 UTC is already 1 October in Beijing.
        moment = datetime.datetime(2025, 9, 30, 20, 0, tzinfo=datetime.UTC)
        assert not is_working_day(moment)
        assert is_working_day(datetime.datetime(2025, 9, 30, 20, 0, tzinfo=SHANGHAI))


# --- arithmetic -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestAddWorkingDays:
    def test_across_the_2025_spring_festival(self) -> None:
        friday = D(2025, 1, 24)
        assert add_working_days(friday, 1) == D(2025, 1, 26)  # the make-up Sunday counts
        assert add_working_days(friday, 2) == D(2025, 1, 27)
        assert add_working_days(friday, 3) == D(2025, 2, 5)  # eight days off skipped
        assert add_working_days(friday, 6) == D(2025, 2, 8)  # the make-up Saturday counts
        assert add_working_days(friday, 7) == D(2025, 2, 10)

    def test_fifteen_working_days_across_national_day_2025(self) -> None:
        # Assigned Friday 26 Sep: 28 (Sun), 29, 30, 9 Oct, 10, 11 (Sat), 13–17, 20–23.
        assert add_working_days(D(2025, 9, 26), 15) == D(2025, 10, 23)

    def test_across_national_day_2026(self) -> None:
        assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
        assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)  # make-up Saturday

    def test_zero_is_the_start_if_working_else_the_next_working_day(self) -> None:
        assert add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)
        assert add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 9)
        assert add_working_days(D(2025, 1, 25), 0) == D(2025, 1, 26)  # Sat → make-up Sun

    def test_negative_counts_backward(self) -> None:
        assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
        assert add_working_days(D(2025, 2, 5), -2) == D(2025, 1, 26)
        assert add_working_days(D(2025, 10, 5), -1) == D(2025, 9, 30)  # from inside the holiday

    def test_start_on_a_holiday_is_not_counted(self) -> None:
        assert add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 9)

    def test_next_and_previous_working_day(self) -> None:
        assert next_working_day(D(2025, 3, 7)) == D(2025, 3, 10)  # Friday → Monday
        assert next_working_day(D(2025, 9, 30)) == D(2025, 10, 9)
        assert next_working_day(D(2025, 10, 10)) == D(2025, 10, 11)  # make-up Saturday
        assert previous_working_day(D(2025, 10, 9)) == D(2025, 9, 30)
        assert previous_working_day(D(2025, 3, 10)) == D(2025, 3, 7)


@pytest.mark.django_db
class TestWorkingDaysBetween:
    def test_start_excluded_end_included(self) -> None:
        assert working_days_between(D(2025, 3, 7), D(2025, 3, 10)) == 1  # Fri → Mon
        assert working_days_between(D(2025, 3, 8), D(2025, 3, 9)) == 0  # Sat → Sun
        assert working_days_between(D(2025, 3, 10), D(2025, 3, 10)) == 0

    def test_across_a_holiday(self) -> None:
        assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
        assert working_days_between(D(2025, 9, 26), D(2025, 10, 23)) == 15
        assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 14 (Sat) and 24

    def test_is_antisymmetric(self) -> None:
        pairs = [
            (D(2025, 9, 30), D(2025, 10, 9)),
            (D(2025, 1, 20), D(2025, 2, 10)),
            (D(2026, 2, 1), D(2026, 3, 1)),
            (D(2025, 12, 20), D(2026, 1, 10)),
        ]
        for start, end in pairs:
            forward = working_days_between(start, end)
            assert forward > 0
            assert working_days_between(end, start) == -forward

    @pytest.mark.parametrize("start", [D(2025, 1, 20), D(2025, 9, 25), D(2026, 2, 10)])
    def test_inverse_of_add_working_days(self, start: D) -> None:
        for n in range(40):
            assert working_days_between(start, add_working_days(start, n)) == n

    def test_counts_from_today_with_a_frozen_clock(self) -> None:
        due = add_working_days(D(2025, 9, 26), 15)
        with time_machine.travel(datetime.datetime(2025, 9, 30, 9, 0, tzinfo=SHANGHAI)):
            left = working_days_between(timezone.localdate(), due)
        assert left == 12  # Oct 9, 10, 11, 13–17, 20–23
        with time_machine.travel(datetime.datetime(2025, 10, 22, 9, 0, tzinfo=SHANGHAI)):
            assert working_days_between(timezone.localdate(), due) == 1
        with time_machine.travel(datetime.datetime(2025, 10, 27, 9, 0, tzinfo=SHANGHAI)):
            assert working_days_between(timezone.localdate(), due) == -2  # two days overdue


# --- overrides --------------------------------------------------------------------------------


def _override(code: str | None, day: D, working: bool, name: str = "") -> CalendarOverride:
    return CalendarOverride.objects.create(
        region_id=code, date=day, is_working_day=working, name=name
    )


@pytest.mark.django_db
class TestOverrides:
    def test_local_holiday_applies_to_its_subtree_only(self, hunan: None) -> None:
        monday = D(2025, 3, 3)
        _override(YUELU, monday, False, "地方纪念日")
        assert not is_working_day(monday, region(YUELU))
        assert not is_working_day(monday, YUELU_STREET)  # a township below, given by code
        assert is_working_day(monday, region(CHANGSHA_COUNTY))
        assert is_working_day(monday, region(CHANGSHA))  # the city above is not affected
        assert is_working_day(monday)

    def test_local_holiday_moves_deadlines_in_that_region_only(self, hunan: None) -> None:
        _override(YUELU, D(2025, 3, 3), False)
        assert add_working_days(D(2025, 2, 28), 1, YUELU) == D(2025, 3, 4)
        assert add_working_days(D(2025, 2, 28), 1, CHANGSHA_COUNTY) == D(2025, 3, 3)
        assert working_days_between(D(2025, 2, 28), D(2025, 3, 7), YUELU) == 4

    def test_nearest_region_wins(self, hunan: None) -> None:
        day = D(2025, 6, 10)  # a Tuesday
        _override(CHANGSHA, day, False, "市里放假")
        _override(YUELU, day, True, "区里照常上班")
        assert not is_working_day(day, CHANGSHA)
        assert not is_working_day(day, CHANGSHA_COUNTY)
        assert is_working_day(day, YUELU)
        assert is_working_day(day, YUELU_STREET)

    def test_national_override_applies_everywhere_and_regions_beat_it(self, hunan: None) -> None:
        day = D(2025, 6, 11)
        _override(None, day, False, "全国调整")
        _override(CHANGSHA_COUNTY, day, True)
        assert not is_working_day(day)
        assert not is_working_day(day, YUELU)
        assert is_working_day(day, CHANGSHA_COUNTY)

    def test_a_local_make_up_saturday(self, hunan: None) -> None:
        saturday = D(2025, 3, 8)
        _override(YUELU, saturday, True, "补班")
        assert add_working_days(D(2025, 3, 7), 1, YUELU) == saturday
        assert add_working_days(D(2025, 3, 7), 1, CHANGSHA_COUNTY) == D(2025, 3, 10)

    def test_an_override_is_seen_by_the_next_call(self, hunan: None) -> None:
        day = D(2025, 3, 12)
        assert is_working_day(day, YUELU)
        _override(YUELU, day, False)
        assert not is_working_day(day, YUELU)

    def test_one_query_for_a_deadline(self, hunan: None, django_assert_num_queries: Any) -> None:
        _override(YUELU, D(2025, 10, 13), False)
        with django_assert_num_queries(1):
            due = add_working_days(D(2025, 9, 26), 15, YUELU)
        assert due == D(2025, 10, 24)
        with django_assert_num_queries(1):
            working_days_between(D(2025, 1, 1), D(2025, 12, 31), YUELU)
        with django_assert_num_queries(1):  # across New Year: both years in one query
            add_working_days(D(2025, 12, 24), 10, YUELU)

    def test_a_reused_calendar_loads_each_year_once(self, hunan: None) -> None:
        calendar = WorkingCalendar(region(YUELU))
        for day in days(D(2025, 1, 1), D(2025, 12, 31)):
            calendar.is_working_day(day)
        calendar.add_working_days(D(2025, 3, 1), 30)
        assert calendar.queries == 1


@pytest.mark.django_db
class TestUnknownYear:
    @pytest.fixture(autouse=True)
    def _fresh_warnings(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(cal, "_warned_years", set())

    def test_falls_back_to_monday_to_friday_less_fixed_holidays_and_warns_once(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level(logging.WARNING, logger="liaison.jurisdiction.calendar"):
            assert is_working_day(D(2031, 1, 2))  # a Thursday; no data for 2031
            assert not is_working_day(D(2031, 1, 1))  # 元旦, fixed by law, a Wednesday
            assert not is_working_day(D(2031, 5, 1)) and not is_working_day(D(2031, 5, 2))
            assert [is_working_day(D(2031, 10, d)) for d in (1, 2, 3)] == [False] * 3
            assert not is_working_day(D(2031, 4, 5))  # 清明 2031, its solar term (a Saturday)
            assert not is_working_day(D(2027, 4, 5))  # 清明 2027, a Monday
            assert is_working_day(D(2027, 4, 6))
            assert not is_working_day(D(2031, 1, 4))  # Saturday
            assert add_working_days(D(2031, 1, 3), 1) == D(2031, 1, 6)
        warnings = [r for r in caplog.records if "2031" in r.getMessage()]
        assert len(warnings) == 1

    def test_national_overrides_fill_in_the_year(self, hunan: None) -> None:
        # Suppose the 2031 notice: 2 Jan off too, Sat 4 Jan a make-up day.
        _override(None, D(2031, 1, 2), False, "元旦")
        _override(None, D(2031, 1, 4), True, "元旦调休")
        assert not is_working_day(D(2031, 1, 2))
        assert is_working_day(D(2031, 1, 4))
        assert add_working_days(D(2030, 12, 31), 1) == D(2031, 1, 3)
        assert add_working_days(D(2031, 1, 3), 1) == D(2031, 1, 4)
        assert working_days_between(D(2030, 12, 31), D(2031, 1, 6)) == 3  # 3, 4, 6

    def test_local_overrides_in_an_unknown_year(self, hunan: None) -> None:
        _override(YUELU, D(2031, 3, 3), False)
        assert not is_working_day(D(2031, 3, 3), YUELU_STREET)
        assert is_working_day(D(2031, 3, 3), CHANGSHA_COUNTY)

    def test_page_year_defaults_to_today(self) -> None:
        with time_machine.travel(datetime.datetime(2031, 5, 6, 10, 0, tzinfo=SHANGHAI)):
            today = timezone.localdate()
            assert today == D(2031, 5, 6)
            assert not statutory_year_known(today.year)
            assert next_working_day(today) == D(2031, 5, 7)
