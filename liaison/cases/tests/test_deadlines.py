"""Deadlines in Chinese working days, across holidays and make-up days, with a frozen clock."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from liaison.cases.deadlines import (
    accept_due_for,
    check_new_due,
    reply_due_for,
    warning_cutoffs,
    working_days_left,
)
from liaison.jurisdiction.calendar import add_working_days, working_days_between
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting

SH = ZoneInfo("Asia/Shanghai")
STREET = "430104002000"


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SH)


pytestmark = pytest.mark.django_db


def test_case_submitted_before_national_day_is_due_after_the_holiday(hunan: None) -> None:
    due = accept_due_for(region=STREET, submitted_at=at(2025, 9, 30, 10))
    # 2025: 1–8 October off; the 9th and 10th are the first two working days after.
    assert due == datetime.date(2025, 10, 10)
    assert due == add_working_days(datetime.date(2025, 9, 30), 2)


def test_make_up_saturday_counts_as_a_working_day(hunan: None) -> None:
    # Saturday 2025-09-27 is not a working day, Sunday 2025-09-28 is (调休).
    due = accept_due_for(region=STREET, submitted_at=at(2025, 9, 26, 16))
    assert due == datetime.date(2025, 9, 29)
    assert working_days_between(datetime.date(2025, 9, 26), due) == 2


def test_reply_due_spans_spring_festival(hunan: None) -> None:
    assigned = at(2025, 1, 24, 9)
    due = reply_due_for(region=STREET, assigned_at=assigned)
    assert due == add_working_days(datetime.date(2025, 1, 24), 15)
    assert working_days_between(datetime.date(2025, 1, 24), due) == 15
    # 15 working days over the 8-day festival take more than five calendar weeks.
    assert (due - datetime.date(2025, 1, 24)).days > 21


def test_late_evening_submission_counts_from_the_local_date(hunan: None) -> None:
    # 23:30 in Shanghai is 15:30 UTC on the same day: the local date decides.
    utc = datetime.datetime(2025, 9, 30, 15, 30, tzinfo=datetime.UTC)
    assert accept_due_for(region=STREET, submitted_at=utc) == datetime.date(2025, 10, 10)


def test_jurisdiction_setting_changes_the_deadline(hunan: None) -> None:
    JurisdictionSetting.objects.create(
        region_id="430104000000", key="case_reply_working_days", value=10
    )
    due = reply_due_for(region=STREET, assigned_at=at(2025, 3, 3, 9))
    assert due == add_working_days(datetime.date(2025, 3, 3), 10)
    # Another county keeps the national default.
    other = reply_due_for(region="430121001000", assigned_at=at(2025, 3, 3, 9))
    assert other == add_working_days(datetime.date(2025, 3, 3), 15)


def test_local_extra_holiday_moves_the_deadline(hunan: None) -> None:
    base = accept_due_for(region=STREET, submitted_at=at(2025, 3, 3, 9))
    CalendarOverride.objects.create(
        region_id="430104000000", date=datetime.date(2025, 3, 4), is_working_day=False
    )
    assert accept_due_for(region=STREET, submitted_at=at(2025, 3, 3, 9)) > base


@time_machine.travel(at(2025, 9, 29, 10), tick=False)
def test_working_days_left_counts_from_today(hunan: None) -> None:
    assert working_days_left(due=datetime.date(2025, 10, 10), region=STREET) == 3
    assert working_days_left(due=datetime.date(2025, 9, 29), region=STREET) == 0
    # Overdue since Friday 26th: Sunday 28th (make-up day) and today are working days missed.
    assert working_days_left(due=datetime.date(2025, 9, 26), region=STREET) == -2


@time_machine.travel(at(2025, 9, 29, 10), tick=False)
def test_new_due_must_be_a_future_working_day(hunan: None) -> None:
    check_new_due(due=datetime.date(2025, 10, 9), region=STREET)
    for bad in (datetime.date(2025, 9, 29), datetime.date(2025, 10, 3)):
        with pytest.raises(ValidationError):
            check_new_due(due=bad, region=STREET)


def test_warning_cutoffs_follow_settings_per_region(
    hunan: Any, django_assert_max_num_queries: Any
) -> None:
    JurisdictionSetting.objects.create(
        region_id="430121000000", key="case_warning_working_days", value=5
    )
    today = datetime.date(2025, 3, 3)  # a Monday
    with django_assert_max_num_queries(4):
        cutoffs = warning_cutoffs(
            region_codes=[STREET, "430121001000", "430104001000"], today=today
        )
    assert cutoffs[STREET] == add_working_days(today, 3)
    assert cutoffs["430104001000"] == cutoffs[STREET]
    assert cutoffs["430121001000"] == add_working_days(today, 6)
