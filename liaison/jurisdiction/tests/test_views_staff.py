"""The settings and calendar pages: role × scope, editing, errors that change nothing."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from liaison.audit.models import AuditEvent
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.regions.tests.factories import CHANGSHA, CHANGSHA_COUNTY, YUELU, YUELU_STREET

pytestmark = pytest.mark.django_db

SETTINGS_URL = reverse("jurisdiction:settings")
CALENDAR_URL = reverse("jurisdiction:calendar")


def edit_url(code: str, key: str) -> str:
    return reverse("jurisdiction:setting_edit", args=[code, key])


def clear_url(code: str, key: str) -> str:
    return reverse("jurisdiction:setting_clear", args=[code, key])


def add_url(code: str) -> str:
    return reverse("jurisdiction:calendar_add", args=[code])


def remove_url(code: str, day: str) -> str:
    return reverse("jurisdiction:calendar_remove", args=[code, day])


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SETTINGS_URL, CALENDAR_URL])
@pytest.mark.parametrize("persona", ["county_staff", "system_admin"])
def test_managers_see_both_pages(request: Any, as_user: Any, url: str, persona: str) -> None:
    response = as_user(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200
    assert "岳麓区" in response.content.decode()


@pytest.mark.parametrize("url", [SETTINGS_URL, CALENDAR_URL, edit_url(YUELU, "max_upload_mb")])
@pytest.mark.parametrize("persona", ["auditor", "security_admin", "station_officer"])
def test_other_roles_are_refused(request: Any, as_user: Any, url: str, persona: str) -> None:
    assert as_user(request.getfixturevalue(persona)).get(url).status_code == 403


@pytest.mark.parametrize("url", [SETTINGS_URL, CALENDAR_URL])
def test_anonymous_is_sent_to_login(hunan: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_second_factor_is_required(county_staff: Any) -> None:
    client = Client()
    client.force_login(county_staff)
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert "otp" in response["Location"]


@pytest.mark.parametrize("url", [SETTINGS_URL, CALENDAR_URL])
def test_region_outside_scope_is_404(county_staff: Any, as_user: Any, url: str) -> None:
    client = as_user(county_staff)
    assert client.get(url, {"region": CHANGSHA_COUNTY}).status_code == 404
    assert client.get(url, {"region": CHANGSHA}).status_code == 404  # the city above
    assert client.get(url, {"region": "999999999999"}).status_code == 404
    assert client.get(url, {"region": YUELU_STREET}).status_code == 200  # a township inside


def test_other_county_cannot_touch_yuelu(other_county_staff: Any, as_user: Any) -> None:
    client = as_user(other_county_staff)
    assert client.get(SETTINGS_URL, {"region": YUELU}).status_code == 404
    assert client.get(edit_url(YUELU, "max_upload_mb")).status_code == 404
    assert client.post(edit_url(YUELU, "max_upload_mb"), {"value": "9"}).status_code == 404
    assert client.post(clear_url(YUELU, "max_upload_mb")).status_code == 404
    response = client.post(add_url(YUELU), {"day": "2025-03-03", "is_working_day": "0"})
    assert response.status_code == 404
    assert not JurisdictionSetting.objects.exists()
    assert not CalendarOverride.objects.exists()
    assert client.get(SETTINGS_URL).status_code == 200  # their own county
    assert "长沙县" in client.get(SETTINGS_URL).content.decode()


# --- settings page ----------------------------------------------------------------------------


def test_settings_page_lists_every_setting_with_its_source(county_staff: Any, as_user: Any) -> None:
    JurisdictionSetting.objects.create(region_id=CHANGSHA, key="case_accept_working_days", value=3)
    JurisdictionSetting.objects.create(region_id=YUELU, key="rating_scale", value="five")
    html = as_user(county_staff).get(SETTINGS_URL).content.decode()
    assert "受理时限" in html
    assert "答复时限" in html
    assert "联络站建设标准（七有）" in html
    assert "全国默认" in html
    assert "继承：长沙市" in html
    assert "本级设置" in html
    assert "恢复继承" in html
    assert "场所" in html  # the JSON list is shown


def test_settings_page_query_count_does_not_grow(
    county_staff: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    client = as_user(county_staff)
    client.get(SETTINGS_URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as empty:
        client.get(SETTINGS_URL)
    for code in ("430000000000", CHANGSHA, YUELU):
        for key in ("case_accept_working_days", "max_upload_mb", "case_reply_working_days"):
            JurisdictionSetting.objects.create(region_id=code, key=key, value=4)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        assert client.get(SETTINGS_URL).status_code == 200


def test_edit_saves_and_audits(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    page = client.get(edit_url(YUELU, "case_reply_working_days"))
    assert page.status_code == 200
    assert 'type="number"' in page.content.decode()
    response = client.post(edit_url(YUELU, "case_reply_working_days"), {"value": "10"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?region={YUELU}")
    assert JurisdictionSetting.objects.get(region_id=YUELU).value == 10
    event = AuditEvent.objects.get()
    assert event.actor == county_staff
    assert event.after == {"value": 10}
    html = client.get(response["Location"]).content.decode()
    assert "已保存" in html


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("case_reply_working_days", "0", "不能小于 1"),
        ("case_reply_working_days", "abc", "请输入整数"),
        ("max_upload_mb", "99", "不能大于 50"),
        # The checklist and the grade lines have their own forms (tests below).
    ],
)
def test_bad_input_shows_a_chinese_error_and_changes_nothing(
    county_staff: Any, as_user: Any, key: str, value: str, message: str
) -> None:
    JurisdictionSetting.objects.create(region_id=YUELU, key=key, value=_valid(key))
    response = as_user(county_staff).post(edit_url(YUELU, key), {"value": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert JurisdictionSetting.objects.get(region_id=YUELU, key=key).value == _valid(key)
    assert not AuditEvent.objects.exists()


def _valid(key: str) -> Any:
    from liaison.jurisdiction.registry import SETTINGS

    return SETTINGS[key].to_json(SETTINGS[key].default)


def test_bool_and_choice_inputs(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    assert "<select" in client.get(edit_url(YUELU, "require_contact_phone")).content.decode()
    client.post(edit_url(YUELU, "require_contact_phone"), {"value": "true"})
    client.post(edit_url(YUELU, "rating_scale"), {"value": "five"})
    values = dict(JurisdictionSetting.objects.values_list("key", "value"))
    assert values == {"require_contact_phone": True, "rating_scale": "five"}


def test_unknown_key_is_404(county_staff: Any, as_user: Any) -> None:
    assert as_user(county_staff).get(edit_url(YUELU, "no_such_key")).status_code == 404


def test_clear_restores_inheritance(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    client.post(edit_url(YUELU, "max_upload_mb"), {"value": "9"})
    response = client.post(clear_url(YUELU, "max_upload_mb"))
    assert response.status_code == 302
    assert not JurisdictionSetting.objects.exists()
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["create", "delete"]
    assert client.get(clear_url(YUELU, "max_upload_mb")).status_code == 405


def test_township_setting_from_the_county_page(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    client.post(edit_url(YUELU_STREET, "max_upload_mb"), {"value": "2"})
    html = client.get(SETTINGS_URL, {"region": YUELU_STREET}).content.decode()
    assert "岳麓街道" in html
    assert "本级设置" in html


# --- calendar page ----------------------------------------------------------------------------


def test_calendar_page_lists_the_package_holidays(county_staff: Any, as_user: Any) -> None:
    html = as_user(county_staff).get(CALENDAR_URL, {"year": "2025"}).content.decode()
    assert "2025-01-28" in html
    assert "春节" in html
    assert "2025-10-11" in html
    assert "调休上班" in html


def test_calendar_add_and_remove(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    response = client.post(
        add_url(YUELU), {"day": "2025-03-03", "is_working_day": "0", "name": "地方纪念日"}
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.region_id, override.is_working_day) == (YUELU, False)
    html = client.get(CALENDAR_URL, {"year": "2025"}).content.decode()
    assert "地方纪念日" in html
    assert "本级" in html
    # The township below sees it as its ancestor's and cannot remove it from there.
    street = client.get(CALENDAR_URL, {"year": "2025", "region": YUELU_STREET}).content.decode()
    assert "上级：岳麓区" in street
    assert client.post(remove_url(YUELU_STREET, "2025-03-03")).status_code == 404
    assert client.post(remove_url(YUELU, "2025-03-03")).status_code == 302
    assert not CalendarOverride.objects.exists()
    assert [e.action for e in AuditEvent.objects.order_by("id")] == ["create", "delete"]


def test_calendar_bad_input_changes_nothing(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    response = client.post(add_url(YUELU), {"day": "2025-02-30", "is_working_day": "0"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    response = client.post(add_url(YUELU), {"day": "2025-03-03", "is_working_day": "maybe"})
    assert response.status_code == 400
    assert not CalendarOverride.objects.exists()
    assert client.post(remove_url(YUELU, "not-a-date")).status_code == 404


def test_other_county_cannot_remove_yuelu_override(
    county_staff: Any, other_county_staff: Any, as_user: Any
) -> None:
    as_user(county_staff).post(add_url(YUELU), {"day": "2025-03-03", "is_working_day": "0"})
    assert as_user(other_county_staff).post(remove_url(YUELU, "2025-03-03")).status_code == 404
    assert CalendarOverride.objects.count() == 1
    html = as_user(other_county_staff).get(CALENDAR_URL, {"year": "2025"}).content.decode()
    assert "2025-03-03" not in html


def test_national_overrides_are_shown_but_not_removable(county_staff: Any, as_user: Any) -> None:
    CalendarOverride.objects.create(
        region=None, date=datetime.date(2025, 5, 6), is_working_day=False
    )
    html = as_user(county_staff).get(CALENDAR_URL, {"year": "2025"}).content.decode()
    assert "2025-05-06" in html
    assert "全国" in html
    assert "/calendar/None/" not in html


def test_calendar_defaults_to_this_year_and_warns_for_an_unknown_year(
    county_staff: Any, as_user: Any
) -> None:
    moment = datetime.datetime(2031, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        # Log in inside the frozen clock: a session from "five years ago" would have expired.
        html = as_user(county_staff).get(CALENDAR_URL).content.decode()
    assert "2031 年" in html
    assert "尚未包含 2031 年" in html


# --- speaking Chinese, not codes (issue 11) ---------------------------------------------------


def _visible_text(html: str) -> str:
    """What a person reads: the page without tags (attributes, URLs and ids are not read)."""
    import re

    return re.sub(r"<[^>]+>", " ", html)


def test_settings_page_shows_labels_not_internal_keys(county_staff: Any, as_user: Any) -> None:
    text = _visible_text(as_user(county_staff).get(SETTINGS_URL).content.decode())
    assert "答复时限" in text
    for key in ("case_reply_working_days", "rating_scale", "station_standard_items"):
        assert key not in text


def test_choice_setting_shows_its_label_not_its_code(county_staff: Any, as_user: Any) -> None:
    JurisdictionSetting.objects.create(region_id=YUELU, key="rating_scale", value="five")
    client = as_user(county_staff)
    text = _visible_text(client.get(SETTINGS_URL).content.decode())
    assert "五级" in text
    assert "five" not in text
    edit = _visible_text(client.get(edit_url(YUELU, "rating_scale")).content.decode())
    assert "五级" in edit
    assert "three" not in edit
    assert "five" not in edit


def test_checklist_and_thresholds_are_shown_readably(county_staff: Any, as_user: Any) -> None:
    text = _visible_text(as_user(county_staff).get(SETTINGS_URL).content.decode())
    assert "场所 15" in text
    assert "满分 100" in text
    assert "示范" in text
    assert "基本达标" in text
    for raw in ("max_score", "excellent", '"key"', "{"):
        assert raw not in text


def test_settings_of_reception_days_are_shown_now_the_app_is_installed(
    county_staff: Any, as_user: Any
) -> None:
    text = as_user(county_staff).get(SETTINGS_URL).content.decode()
    for label in ("每月代表接待日次数", "接待日遇法定节假日", "代表每年参加接待日次数下限"):
        assert label in text


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("draft_comment_min_days", "法规草案征求意见最短天数"),
        ("vote_pass_ratio", "票决通过比例"),
    ],
)
def test_settings_of_features_not_built_yet_are_hidden(
    county_staff: Any, as_user: Any, key: str, label: str
) -> None:
    client = as_user(county_staff)
    assert label not in client.get(SETTINGS_URL).content.decode()
    assert client.get(edit_url(YUELU, key)).status_code == 404
    assert client.post(edit_url(YUELU, key), {"value": "1"}).status_code == 404
    assert not JurisdictionSetting.objects.exists()


def _item_rows(items: list[tuple[str, str, str]]) -> dict[str, str]:
    data = {"rows": str(len(items))}
    for i, (key, name, score) in enumerate(items):
        data.update({f"key_{i}": key, f"name_{i}": name, f"score_{i}": score})
    return data


def test_checklist_is_edited_as_a_table_of_items(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    url = edit_url(YUELU, "station_standard_items")
    html = client.get(url).content.decode()
    assert "<textarea" not in html
    assert 'name="name_0"' in html
    assert 'value="场所"' in html
    assert 'name="score_0"' in html
    assert "max_score" not in _visible_text(html)
    data = _item_rows([("place", "场所", "60"), ("", "网格", "40"), ("", "", "")])
    data["delete_1"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    saved = JurisdictionSetting.objects.get(key="station_standard_items").value
    assert [(i["name"], i["max_score"]) for i in saved] == [("场所", 60), ("网格", 40)]
    assert saved[0]["key"] == "place"
    assert saved[1]["key"] not in {"", "place"}


def test_checklist_row_can_be_deleted(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    data = _item_rows([("place", "场所", "60"), ("sign", "牌子", "40")])
    data["delete_1"] = "on"
    assert client.post(edit_url(YUELU, "station_standard_items"), data).status_code == 302
    saved = JurisdictionSetting.objects.get(key="station_standard_items").value
    assert [i["key"] for i in saved] == ["place"]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([("place", "场所", "0")], "满分应为大于 0 的整数"),
        ([("place", "", "10")], "请填写名称"),
        ([("place", "场所", "")], "请填写满分"),
        ([("place", "场所", "10"), ("", "场所", "10")], "重复"),
        ([("place", "", "")], "不能为空"),
    ],
)
def test_checklist_errors_are_chinese_and_change_nothing(
    county_staff: Any, as_user: Any, items: list[tuple[str, str, str]], message: str
) -> None:
    response = as_user(county_staff).post(
        edit_url(YUELU, "station_standard_items"), _item_rows(items)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JurisdictionSetting.objects.exists()


def test_thresholds_are_three_number_fields(county_staff: Any, as_user: Any) -> None:
    client = as_user(county_staff)
    url = edit_url(YUELU, "station_assessment_thresholds")
    html = client.get(url).content.decode()
    assert "<textarea" not in html
    assert html.count('type="number"') == 3
    assert "示范" in html
    assert "excellent" not in _visible_text(html)
    response = client.post(url, {"excellent": "95", "passed": "85", "basic": "70"})
    assert response.status_code == 302
    saved = JurisdictionSetting.objects.get(key="station_assessment_thresholds").value
    assert saved == {"excellent": 95, "passed": 85, "basic": 70}
    bad = client.post(url, {"excellent": "60", "passed": "85", "basic": "70"})
    assert bad.status_code == 200
    assert "递减" in bad.content.decode()
    assert "excellent" not in _visible_text(bad.content.decode())
    saved = JurisdictionSetting.objects.get(key="station_assessment_thresholds").value
    assert saved["excellent"] == 95
