"""Deadlines across month ends, holidays and make-up working days, from the settings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from liaison.jurisdiction.models import JurisdictionSetting
from liaison.suggestions import deadlines
from liaison.suggestions.deadlines import add_months, months_due

D = datetime.date
YUELU = "430104000000"


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 31), 3, D(2026, 4, 30)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 10, 31), 3, D(2027, 1, 31)),
    ],
)
def test_months_end_on_the_same_day_or_the_month_end(
    start: datetime.date, months: int, end: datetime.date
) -> None:
    assert add_months(start, months) == end


@pytest.mark.django_db
def test_a_period_ending_on_a_day_off_ends_on_the_next_working_day(hunan: None) -> None:
    # 31 Jan 2026 + 3 months = 30 April (a Thursday, working); 30 Nov 2025 + 3 = 28 Feb 2026,
    # a Saturday in the Spring Festival make-up pattern: whatever the calendar says, the due day
    # is a working day on or after the month end.
    from liaison.jurisdiction.calendar import WorkingCalendar

    cal = WorkingCalendar(YUELU)
    due = months_due(start=D(2025, 11, 30), months=3, region=YUELU)
    assert due >= D(2026, 2, 28) and cal.is_working_day(due)
    assert months_due(start=D(2026, 1, 31), months=3, region=YUELU) == D(2026, 4, 30)
    # 1 Oct (National Day) + 0 months: the holiday week pushes the day to 9 October.
    assert months_due(start=D(2025, 10, 1), months=0, region=YUELU) == D(2025, 10, 9)


@pytest.mark.django_db
def test_assign_due_is_seven_working_days_across_national_day(hunan: None) -> None:
    at = datetime.datetime(2025, 9, 29, 10, 0)
    # 29 Sep (Mon) + 7 working days: 30 Sep, then the holiday 1–8 Oct, 9, 10, 11 (make-up
    # Saturday), 13, 14, 15 → 15 October.
    assert deadlines.assign_due_for(region=YUELU, submitted_at=at) == D(2025, 10, 15)


@pytest.mark.django_db
def test_answer_due_three_months_or_six_when_complex(hunan: None) -> None:
    at = datetime.datetime(2026, 1, 31, 9, 0)
    assert deadlines.answer_due_for(region=YUELU, assigned_at=at) == D(2026, 4, 30)
    complex_due = deadlines.answer_due_for(region=YUELU, assigned_at=at, complex_=True)
    assert complex_due == D(2026, 7, 31)


@pytest.mark.django_db
def test_the_jurisdiction_setting_changes_the_period(hunan: None) -> None:
    JurisdictionSetting.objects.create(region_id=YUELU, key="suggestion_reply_months", value=2)
    at = datetime.datetime(2026, 3, 2, 9, 0)
    assert deadlines.answer_due_for(region=YUELU, assigned_at=at) == D(2026, 5, 6)
    JurisdictionSetting.objects.create(region_id=YUELU, key="suggestion_rehandle_months", value=2)
    assert deadlines.rehandle_due_for(region=YUELU, rated_at=at) == D(2026, 5, 6)


@pytest.mark.django_db
def test_co_view_and_return_periods(hunan: None) -> None:
    at = datetime.datetime(2026, 3, 31, 9, 0)
    assert deadlines.view_due_for(region=YUELU, assigned_at=at) == D(2026, 4, 30)
    assert deadlines.return_due_for(region=YUELU, assigned_at=at) == D(2026, 4, 10)


@pytest.mark.django_db
def test_due_state(hunan: None) -> None:
    today = D(2026, 3, 2)
    assert deadlines.due_state_of(due=None, region=YUELU, today=today) == ""
    assert deadlines.due_state_of(due=D(2026, 3, 1), region=YUELU, today=today) == "red"
    assert deadlines.due_state_of(due=D(2026, 3, 6), region=YUELU, today=today) == "yellow"
    assert deadlines.due_state_of(due=D(2026, 3, 30), region=YUELU, today=today) == ""


@pytest.mark.django_db
def test_the_settings_page_offers_the_suggestion_settings(county_staff: Any, as_user: Any) -> None:
    from django.urls import reverse

    page = as_user(county_staff).get(reverse("jurisdiction:settings")).content.decode()
    for label in ("代表建议答复期限", "复杂建议答复期限", "建议交办时限", "联名建议最少附议代表数"):
        assert label in page
