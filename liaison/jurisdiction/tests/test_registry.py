"""The registry: types, bounds, list validators, registration by other apps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from liaison.jurisdiction.registry import SETTINGS, SettingDef, register

REQUIRED_KEYS = {
    "case_accept_working_days": 2,
    "case_reply_working_days": 15,
    "case_extension_max_working_days": 15,
    "case_warning_working_days": 2,
    "rating_scale": "three",
    "require_contact_phone": False,
    "max_upload_mb": 5,
    "echo_wall_publish_default": False,
    "reception_days_per_month": 1,
    "suggestion_reply_months": 3,
    "suggestion_complex_reply_months": 6,
    "draft_comment_min_days": 30,
    "vote_pass_ratio": Decimal("0.5"),
    "personal_data_retention_days": 1095,
}


def test_national_defaults() -> None:
    for key, default in REQUIRED_KEYS.items():
        assert SETTINGS[key].default == default, key
    items = SETTINGS["station_standard_items"].default
    assert [i["name"] for i in items] == ["场所", "牌子", "制度", "人员", "经费", "活动", "台账"]
    assert SETTINGS["station_assessment_thresholds"].default == {
        "excellent": 90,
        "passed": 80,
        "basic": 60,
    }


def test_every_default_passes_its_own_rules() -> None:
    for definition in SETTINGS.values():
        assert definition.clean(definition.default) == definition.default


def test_int_bounds_and_types() -> None:
    d = SETTINGS["case_reply_working_days"]
    assert d.parse_text(" 20 ") == 20
    assert d.clean(20.0) == 20
    for bad in ["abc", "1.5", "", True, None, 0, 91, "-3"]:
        with pytest.raises(ValidationError):
            d.clean(bad) if not isinstance(bad, str) else d.parse_text(bad)


def test_range_message_is_chinese() -> None:
    with pytest.raises(ValidationError) as exc:
        SETTINGS["case_reply_working_days"].clean(0)
    assert "不能小于 1" in exc.value.messages[0]
    assert "答复时限" in exc.value.messages[0]


def test_decimal_stays_exact_and_is_stored_as_text() -> None:
    d = SETTINGS["vote_pass_ratio"]
    assert d.parse_text("0.6") == Decimal("0.6")
    assert d.clean(0.5) == Decimal("0.5")
    assert d.to_json(Decimal("0.55")) == "0.55"
    assert d.from_json("0.55") == Decimal("0.55")
    for bad in ["1.5", "-0.1", "abc", "NaN", "Infinity"]:
        with pytest.raises(ValidationError):
            d.parse_text(bad)


def test_bool_and_choice() -> None:
    assert SETTINGS["require_contact_phone"].parse_text("true") is True
    assert SETTINGS["require_contact_phone"].parse_text("false") is False
    with pytest.raises(ValidationError):
        SETTINGS["require_contact_phone"].clean("yes")
    assert SETTINGS["rating_scale"].parse_text("five") == "five"
    with pytest.raises(ValidationError) as exc:
        SETTINGS["rating_scale"].parse_text("ten")
    assert "five" in exc.value.messages[0]
    assert "three" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not json", "JSON 格式错误"),
        ('{"key": "a"}', "JSON 数组"),
        ("[]", "不能为空"),
        ('[{"key": "a", "name": "甲", "max_score": 0}]', "max_score"),
        ('[{"key": "a", "max_score": 5}]', "缺少 name"),
        ('[{"name": "甲", "max_score": 5}]', "缺少 key"),
        (
            '[{"key": "a", "name": "甲", "max_score": 5},'
            ' {"key": "a", "name": "乙", "max_score": 5}]',
            "重复",
        ),
        ('[{"key": "a", "name": "甲", "max_score": true}]', "max_score"),
        ("[1]", "应为对象"),
    ],
)
def test_station_items_validator(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SETTINGS["station_standard_items"].parse_text(text)
    assert fragment in " ".join(exc.value.messages)


def test_station_items_accepts_a_local_checklist() -> None:
    text = (
        '[{"key": "place", "name": "场所", "max_score": 50},'
        ' {"key": "x", "name": "网格", "max_score": 50}]'
    )
    assert len(SETTINGS["station_standard_items"].parse_text(text)) == 2


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"excellent": 90, "passed": 80}, "三项"),
        ({"excellent": 80, "passed": 90, "basic": 60}, "递减"),
        ({"excellent": 120, "passed": 80, "basic": 60}, "0–100"),
        ({"excellent": "90", "passed": 80, "basic": 60}, "0–100"),
        ([90, 80, 60], "JSON 对象"),
    ],
)
def test_thresholds_validator(value: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as exc:
        SETTINGS["station_assessment_thresholds"].clean(value)
    assert fragment in " ".join(exc.value.messages)


def test_other_apps_register_their_own_keys() -> None:
    definition = SettingDef(key="test_points_per_reception", label="积分", type="int", default=2)
    try:
        assert register(definition) is definition
        assert register(definition) is definition  # importing twice is harmless
        with pytest.raises(ValueError, match="already registered"):
            register(
                SettingDef(key="test_points_per_reception", label="积分", type="int", default=3)
            )
    finally:
        SETTINGS.pop("test_points_per_reception", None)


def test_a_bad_default_is_refused_at_declaration() -> None:
    with pytest.raises(ValidationError):
        SettingDef(key="x", label="x", type="int", default=0, min_value=1)
    with pytest.raises(ValueError, match="unknown type"):
        SettingDef(key="x", label="x", type="float", default=0)  # type: ignore[arg-type]
