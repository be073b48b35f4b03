"""Parsing the schedule and calendar forms (the rules stay in the services)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from liaison.receptions.forms import CalendarFilterForm, ScheduleForm, SignInForm, items_from
from liaison.receptions.models import Frequency

BASE = {
    "station": "1",
    "title": "接待日",
    "frequency": Frequency.MONTH_DAYS,
    "months": "odd",
    "starts_on": "2030-01-01",
    "start_time": "09:00",
    "end_time": "11:00",
    "place": "一楼",
}


def form(**changes: Any) -> ScheduleForm:
    return ScheduleForm({**BASE, **changes}, stations=[(1, "站")])


def test_month_days_and_dates_in_chinese_punctuation() -> None:
    parsed = form(month_days="5，20、 ", dates="2030-01-02，2030-02-03")
    assert parsed.is_valid(), parsed.errors
    data = parsed.schedule_input()
    assert data.month_days == (5, 20)
    assert data.dates == (datetime.date(2030, 1, 2), datetime.date(2030, 2, 3))
    assert data.months == "odd"


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"month_days": "5,40"}, "month_days", "1 至 31"),
        ({"month_days": "五"}, "month_days", "用逗号分隔"),
        ({"dates": "2030/01/02"}, "dates", "日期格式"),
    ],
)
def test_bad_lists(changes: dict[str, str], field: str, says: str) -> None:
    parsed = form(**changes)
    assert not parsed.is_valid()
    assert says in str(parsed.errors[field])


def test_calendar_month() -> None:
    ok = CalendarFilterForm({"month": "2026-05"}, stations=[])
    assert ok.is_valid() and ok.cleaned_data["month"] == datetime.date(2026, 5, 1)
    blank = CalendarFilterForm({"month": ""}, stations=[])
    assert blank.is_valid() and blank.cleaned_data["month"] is None
    assert not CalendarFilterForm({"month": "2026-13"}, stations=[]).is_valid()


def test_item_rows() -> None:
    post = {
        "item-0-title": "路灯",
        "item-0-content": "坏了",
        "item-0-deputy": "7",
        "item-1-title": "",
        "item-2-title": "公交",
        "item-2-content": "增设",
        "item-2-deputy": "x",
        "item-3-title": "匿名",
        "item-3-anonymous": "on",
    }
    items, errors = items_from(post, rows=5)
    assert [i.title for i in items] == ["路灯", "匿名"]
    assert items[0].deputy_id == 7 and items[1].is_anonymous
    assert errors == ["第 3 行：接待代表无效"]


def test_sign_in_form() -> None:
    assert SignInForm({"name": "王", "anonymous": ""}).is_valid()
