"""The jurisdiction settings of activities: local kinds and the yearly training hours."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from liaison.activities.rules import (
    kind_choices,
    kind_ensure,
    kind_label,
    training_hours_required,
    validate_extra_kinds,
)
from liaison.jurisdiction.models import JurisdictionSetting


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["council"], "应为对象"),
        ([{"key": "Council", "name": "议事会"}], "小写字母"),
        ([{"key": "council", "name": ""}], "name"),
        ([{"key": "research", "name": "调研"}], "相同"),
        ([{"key": "council", "name": "甲"}, {"key": "council", "name": "乙"}], "重复"),
    ],
)
def test_bad_extra_kinds_are_refused(items: list[Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_extra_kinds(items)


def test_national_kinds_and_default_hours_without_overrides() -> None:
    assert [k for k, _label in kind_choices(None)][:3] == ["research", "inspection", "law_check"]
    assert kind_label("voter_contact") == "联系选民" and kind_label("group") == "小组活动"
    assert kind_label("unknown") == "unknown"


@pytest.mark.django_db
def test_a_county_adds_kinds_and_changes_hours(yuelu: Any, changsha_county: Any) -> None:
    JurisdictionSetting.objects.create(
        region=yuelu, key="activity_extra_kinds", value=[{"key": "council", "name": "代表议事会"}]
    )
    JurisdictionSetting.objects.create(region=yuelu, key="training_hours_per_year", value=24)
    assert ("council", "代表议事会") in kind_choices("430104002000")
    kind_ensure("council", region="430104002000")
    with pytest.raises(ValidationError):
        kind_ensure("council", region="430121001000")
    assert training_hours_required("430104002000") == 24
    assert training_hours_required("430121001000") == 16
