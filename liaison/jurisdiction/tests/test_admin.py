"""Django admin writes go through the services: validated and audited."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.audit.models import AuditEvent
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.regions.tests.factories import CHANGSHA_COUNTY, YUELU

pytestmark = pytest.mark.django_db

SETTING_ADD = "/admin/jurisdiction/jurisdictionsetting/add/"
OVERRIDE_ADD = "/admin/jurisdiction/calendaroverride/add/"


def test_admin_adds_a_valid_setting_with_an_audit_row(system_admin: Any, as_user: Any) -> None:
    client = as_user(system_admin)
    assert client.get(SETTING_ADD).status_code == 200
    response = client.post(SETTING_ADD, {"region": YUELU, "key": "max_upload_mb", "value": "9"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = JurisdictionSetting.objects.get()
    assert row.value == 9
    assert row.updated_by == system_admin
    assert AuditEvent.objects.get().after == {"value": 9}


def test_admin_does_not_offer_settings_of_features_not_built(
    system_admin: Any, as_user: Any
) -> None:
    client = as_user(system_admin)
    assert "vote_pass_ratio" not in client.get(SETTING_ADD).content.decode()
    response = client.post(
        SETTING_ADD, {"region": YUELU, "key": "vote_pass_ratio", "value": '"0.6"'}
    )
    assert response.status_code == 200
    assert not JurisdictionSetting.objects.exists()


def test_admin_refuses_an_invalid_value(system_admin: Any, as_user: Any) -> None:
    response = as_user(system_admin).post(
        SETTING_ADD, {"region": YUELU, "key": "case_reply_working_days", "value": "0"}
    )
    assert response.status_code == 200
    assert "不能小于 1" in response.content.decode()
    assert not JurisdictionSetting.objects.exists()


def test_admin_enters_a_national_override(platform_admin: Any, as_user: Any) -> None:
    response = as_user(platform_admin).post(
        OVERRIDE_ADD, {"region": "", "date": "2031-01-01", "is_working_day": "", "name": "元旦"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get()
    assert override.region is None
    assert not override.is_working_day
    assert AuditEvent.objects.get().action == "create"


def test_county_admin_cannot_enter_a_national_override(system_admin: Any, as_user: Any) -> None:
    response = as_user(system_admin).post(
        OVERRIDE_ADD, {"region": "", "date": "2031-01-01", "is_working_day": "", "name": "元旦"}
    )
    assert response.status_code == 200
    assert "全国性的数据由全平台管理员维护" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_county_admin_cannot_add_a_setting_for_another_county(
    system_admin: Any, as_user: Any
) -> None:
    response = as_user(system_admin).post(
        SETTING_ADD, {"region": CHANGSHA_COUNTY, "key": "vote_pass_ratio", "value": '"0.6"'}
    )
    assert response.status_code == 200  # the region is not among the choices
    assert not JurisdictionSetting.objects.exists()


def test_admin_is_closed_to_congress_staff(county_staff: Any, as_user: Any) -> None:
    assert as_user(county_staff).get(SETTING_ADD).status_code == 302  # to the admin login
