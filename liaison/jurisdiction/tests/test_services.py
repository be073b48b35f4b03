"""Writes are validated, audited, and leave nothing behind when they fail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from liaison.audit.models import AuditEvent
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.jurisdiction.selectors import setting_value
from liaison.jurisdiction.services import (
    calendar_override_remove,
    calendar_override_set,
    setting_clear,
    setting_set,
)
from liaison.regions.tests.factories import YUELU, region

pytestmark = pytest.mark.django_db


def _events() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id"))


def test_set_creates_a_row_and_an_audit_event(county_staff: Any) -> None:
    yuelu = region(YUELU)
    row = setting_set(region=yuelu, key="case_reply_working_days", value=10, actor=county_staff)
    assert row.value == 10
    assert row.updated_by == county_staff
    [event] = _events()
    assert event.action == "create"
    assert event.actor == county_staff
    assert event.region_code == YUELU
    assert event.before is None
    assert event.after == {"value": 10}


def test_update_records_before_and_after(county_staff: Any) -> None:
    yuelu = region(YUELU)
    setting_set(region=yuelu, key="vote_pass_ratio", value="0.5", actor=county_staff)
    setting_set(region=yuelu, key="vote_pass_ratio", value="0.6", actor=county_staff)
    event = _events()[-1]
    assert event.action == "update"
    assert event.before == {"value": "0.5"}
    assert event.after == {"value": "0.6"}
    assert JurisdictionSetting.objects.get(region=yuelu, key="vote_pass_ratio").value == "0.6"


def test_setting_the_same_value_writes_nothing(county_staff: Any) -> None:
    yuelu = region(YUELU)
    setting_set(region=yuelu, key="max_upload_mb", value=8, actor=county_staff)
    setting_set(region=yuelu, key="max_upload_mb", value="8", actor=county_staff)
    assert len(_events()) == 1


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("case_reply_working_days", 0),
        ("case_reply_working_days", "十五"),
        ("vote_pass_ratio", "2"),
        ("rating_scale", "ten"),
        ("require_contact_phone", "maybe"),
        ("station_standard_items", [{"key": "a", "name": "甲", "max_score": -1}]),
        ("no_such_key", 1),
    ],
)
def test_invalid_values_change_nothing(county_staff: Any, key: str, value: Any) -> None:
    yuelu = region(YUELU)
    setting_set(region=yuelu, key="case_accept_working_days", value=3, actor=county_staff)
    before = list(JurisdictionSetting.objects.values_list("key", "value"))
    events = len(_events())
    with pytest.raises(ValidationError):
        setting_set(region=yuelu, key=key, value=value, actor=county_staff)
    assert list(JurisdictionSetting.objects.values_list("key", "value")) == before
    assert len(_events()) == events


def test_unknown_key_message_is_chinese(county_staff: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        setting_set(region=region(YUELU), key="no_such_key", value=1, actor=county_staff)
    assert exc.value.messages == ["未知的设置项：no_such_key。"]


def test_clear_returns_to_inheritance(county_staff: Any) -> None:
    yuelu = region(YUELU)
    setting_set(region=yuelu, key="case_reply_working_days", value=10, actor=county_staff)
    assert setting_clear(region=yuelu, key="case_reply_working_days", actor=county_staff)
    assert setting_value(key="case_reply_working_days", region=yuelu) == 15
    event = _events()[-1]
    assert event.action == "delete"
    assert event.before == {"value": 10}
    assert event.after is None
    assert not setting_clear(region=yuelu, key="case_reply_working_days", actor=county_staff)
    assert len(_events()) == 2


def test_calendar_override_set_update_remove(county_staff: Any) -> None:
    yuelu = region(YUELU)
    day = datetime.date(2025, 3, 3)
    row = calendar_override_set(
        region=yuelu, day=day, is_working_day=False, name="地方纪念日", actor=county_staff
    )
    assert row.created_by == county_staff
    calendar_override_set(
        region=yuelu, day=day, is_working_day=True, name="照常上班", actor=county_staff
    )
    assert CalendarOverride.objects.get().is_working_day
    assert calendar_override_remove(region=yuelu, day=day, actor=county_staff)
    assert not CalendarOverride.objects.exists()
    assert not calendar_override_remove(region=yuelu, day=day, actor=county_staff)
    actions = [(e.action, e.region_code) for e in _events()]
    assert actions == [("create", YUELU), ("update", YUELU), ("delete", YUELU)]
    assert _events()[1].before == {
        "date": "2025-03-03",
        "is_working_day": False,
        "name": "地方纪念日",
    }


def test_national_override(system_admin: Any) -> None:
    day = datetime.date(2031, 1, 1)
    calendar_override_set(
        region=None, day=day, is_working_day=False, name="元旦", actor=system_admin
    )
    calendar_override_set(
        region=None, day=day, is_working_day=False, name="元旦", actor=system_admin
    )
    assert CalendarOverride.objects.filter(region__isnull=True).count() == 1
    assert len(_events()) == 1
    assert calendar_override_remove(region=None, day=day, actor=system_admin)


def test_override_name_too_long(county_staff: Any) -> None:
    with pytest.raises(ValidationError):
        calendar_override_set(
            region=region(YUELU),
            day=datetime.date(2025, 3, 3),
            is_working_day=False,
            name="长" * 101,
            actor=county_staff,
        )
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize(
    "key, value",
    [
        ("case_accept_warning_working_days", 2),  # == the 2-day acceptance deadline
        ("case_accept_working_days", 1),  # == the 1-day acceptance warning
        ("case_warning_working_days", 15),  # == the 15-day reply deadline
        ("case_reply_working_days", 2),  # == the 2-day reply warning
    ],
)
def test_a_warning_as_long_as_its_deadline_is_refused(
    county_staff: Any, key: str, value: int
) -> None:
    with pytest.raises(ValidationError) as error:
        setting_set(region=region(YUELU), key=key, value=value, actor=county_staff)
    assert "须小于" in error.value.messages[0]
    assert not JurisdictionSetting.objects.filter(key=key).exists()


def test_pairs_are_checked_in_the_regions_below_that_set_their_own(county_staff: Any) -> None:
    street = "430104002000"
    setting_set(region=region(YUELU), key="case_accept_working_days", value=4, actor=county_staff)
    setting_set(
        region=region(street), key="case_accept_warning_working_days", value=3, actor=county_staff
    )
    # The street inherits 4 days from the county; bringing the county back to 3 would leave the
    # street's 3-day warning as long as its deadline.
    with pytest.raises(ValidationError):
        setting_set(
            region=region(YUELU), key="case_accept_working_days", value=3, actor=county_staff
        )
    with pytest.raises(ValidationError):
        setting_clear(region=region(YUELU), key="case_accept_working_days", actor=county_staff)
    assert (
        JurisdictionSetting.objects.get(region_id=YUELU, key="case_accept_working_days").value == 4
    )
