"""The duty kinds of posts: a jurisdiction setting with national defaults, edited per region."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.grids.duty_kinds import (
    DEFAULT_DUTY_KINDS,
    DUTY_KINDS,
    DutyKindNames,
    duty_kind_choices,
    duty_kind_labels,
    format_duty_kinds,
    validate_duty_kinds,
)
from liaison.jurisdiction.models import JurisdictionSetting
from liaison.jurisdiction.registry import SETTINGS


def test_the_setting_is_registered_with_the_five_defaults() -> None:
    assert SETTINGS["grid_duty_kinds"] is DUTY_KINDS
    assert [k["name"] for k in DEFAULT_DUTY_KINDS] == [
        "政策宣传",
        "矛盾纠纷调处",
        "安全巡查",
        "生态环境",
        "养老服务",
    ]
    assert duty_kind_choices(None)[2] == ("patrol", "安全巡查")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "列表不能为空"),
        (["patrol"], "第 1 项缺少 key"),
        ([{"key": "", "name": "巡查"}], "第 1 项缺少 key"),
        ([{"key": "k" * 41, "name": "巡查"}], "不超过 40 个字符"),
        ([{"key": "patrol", "name": " "}], "第 1 项缺少 name"),
        ([{"key": "a", "name": "甲"}, {"key": "a", "name": "乙"}], "key “a”重复"),
    ],
)
def test_bad_lists_are_refused_in_chinese(value: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_duty_kinds(value)
    assert message in caught.value.messages[0]


def test_the_settings_list_reads_names_not_json() -> None:
    assert format_duty_kinds(DEFAULT_DUTY_KINDS).startswith("政策宣传、矛盾纠纷调处")
    assert "共 5 项" in format_duty_kinds(DEFAULT_DUTY_KINDS)


@pytest.mark.django_db
def test_a_county_sets_its_own_list_and_rows_read_it_once(
    yuelu: Any, django_assert_num_queries: Any
) -> None:
    JurisdictionSetting.objects.create(
        region_id="430104000000", key="grid_duty_kinds", value=[{"key": "flood", "name": "防汛"}]
    )
    assert duty_kind_labels("430104002000") == {"flood": "防汛"}
    assert duty_kind_labels("430121000000")["patrol"] == "安全巡查"
    names = DutyKindNames()
    with django_assert_num_queries(1):
        assert names.name("flood", "430104002000") == "防汛"
        assert names.name("flood", "430104010000") == "防汛"  # same county: no new query
        assert names.name("gone", "430104002000") == "gone"  # a dropped key shows as itself


@pytest.mark.django_db
def test_county_staff_edit_the_list_on_the_settings_page(as_user: Any, county_staff: Any) -> None:
    client = as_user(county_staff)
    target = reverse("jurisdiction:setting_edit", args=["430104000000", "grid_duty_kinds"])
    assert client.get(target).status_code == 200
    value = json.dumps([{"key": "flood", "name": "防汛值守"}], ensure_ascii=False)
    response = client.post(target, {"value": value})
    assert response.status_code == 302
    assert duty_kind_choices("430104002000") == [("flood", "防汛值守")]
    page = client.get(reverse("jurisdiction:settings")).content.decode()
    assert "网格岗位职责类型" in page
