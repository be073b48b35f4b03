"""Effective values: national default → city → county, one query, sources for the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from liaison.jurisdiction.models import JurisdictionSetting
from liaison.jurisdiction.selectors import setting_value, settings_effective
from liaison.regions.tests.factories import (
    CHANGSHA,
    CHANGSHA_COUNTY,
    HUNAN,
    YUELU,
    YUELU_STREET,
    region,
)

pytestmark = pytest.mark.django_db


def _set(code: str, key: str, value: Any) -> JurisdictionSetting:
    return JurisdictionSetting.objects.create(region_id=code, key=key, value=value)


def test_national_default_without_rows(hunan: None) -> None:
    assert setting_value(key="case_reply_working_days", region=region(YUELU)) == 15
    assert setting_value(key="vote_pass_ratio", region=YUELU) == Decimal("0.5")


def test_inheritance_national_city_county(hunan: None) -> None:
    key = "case_reply_working_days"
    _set(CHANGSHA, key, 10)
    assert setting_value(key=key, region=region(CHANGSHA)) == 10
    assert setting_value(key=key, region=region(YUELU)) == 10
    assert setting_value(key=key, region=region(CHANGSHA_COUNTY)) == 10
    _set(YUELU, key, 7)
    assert setting_value(key=key, region=region(YUELU)) == 7
    assert setting_value(key=key, region=YUELU_STREET) == 7  # the township below inherits
    assert setting_value(key=key, region=region(CHANGSHA_COUNTY)) == 10
    assert setting_value(key=key, region=region(HUNAN)) == 15
    assert setting_value(key=key, region=None) == 15


def test_one_query_and_none_for_the_nation(hunan: None, django_assert_num_queries: Any) -> None:
    _set(HUNAN, "max_upload_mb", 8)
    _set(YUELU, "max_upload_mb", 9)
    yuelu_street = region(YUELU_STREET)
    with django_assert_num_queries(1):
        assert setting_value(key="max_upload_mb", region=yuelu_street) == 9
    with django_assert_num_queries(0):
        assert setting_value(key="max_upload_mb", region=None) == 5


def test_unknown_key_is_a_programming_error(hunan: None) -> None:
    with pytest.raises(KeyError):
        setting_value(key="no_such_setting", region=YUELU)


def test_a_stale_invalid_row_is_skipped(hunan: None) -> None:
    _set(CHANGSHA, "case_reply_working_days", 12)
    _set(YUELU, "case_reply_working_days", "fifteen")  # written before a rule changed
    assert setting_value(key="case_reply_working_days", region=YUELU) == 12


def test_defaults_are_copies(hunan: None) -> None:
    items = setting_value(key="station_standard_items", region=YUELU)
    items.append({"key": "x"})
    assert len(setting_value(key="station_standard_items", region=YUELU)) == 7


def test_effective_settings_name_their_source(hunan: None) -> None:
    _set(CHANGSHA, "case_accept_working_days", 3)
    _set(YUELU, "rating_scale", "five")
    by_key = {e.key: e for e in settings_effective(region=region(YUELU))}
    assert by_key["case_accept_working_days"].value == 3
    assert by_key["case_accept_working_days"].source_label == "长沙市"
    assert not by_key["case_accept_working_days"].is_own
    assert by_key["rating_scale"].value == "five"
    assert by_key["rating_scale"].is_own
    assert by_key["case_reply_working_days"].source is None
    assert by_key["case_reply_working_days"].source_label == "全国默认"


def test_effective_settings_in_one_query(hunan: None, django_assert_num_queries: Any) -> None:
    yuelu = region(YUELU)
    for code in (HUNAN, CHANGSHA, YUELU):
        _set(code, "case_accept_working_days", 3)
        _set(code, "max_upload_mb", 6)
    with django_assert_num_queries(1):
        effective = settings_effective(region=yuelu)
        labels = [e.source_label for e in effective]
    assert "岳麓区" in labels
    assert "全国默认" in labels
