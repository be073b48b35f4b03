"""The hand-written parser of the public intake body (`api_input.parse_case_in`)."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.cases.api_input import parse_case_in

GOOD = {"station_code": "S2345678", "kind": "help", "title": "路灯", "content": "路灯坏了"}


def test_a_good_body_gets_defaults() -> None:
    clean, errors = parse_case_in(GOOD)
    assert not errors
    assert clean["kind"] == "help"
    assert clean["title"] == "路灯"
    assert clean["consent"] is True
    assert clean["allow_publish"] is False
    assert clean["is_anonymous"] is False
    assert "place" not in clean


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_a_body_that_is_not_an_object_is_an_error(body: Any) -> None:
    assert parse_case_in(body) == ({}, {"non_field_errors": ["请求体须为 JSON 对象"]})


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": None}, "kind", "此项为必填项"),
        ({"kind": "praise"}, "kind", "类型取值"),
        ({"kind": ["help"]}, "kind", "类型取值"),
        ({"title": None}, "title", "此项为必填项"),
        ({"title": "   "}, "title", "此项不能为空"),
        ({"title": {"a": 1}}, "title", "格式不正确"),
        ({"title": True}, "title", "格式不正确"),
        ({"content": "字" * 5001}, "content", "意见内容最多 5000 字，您输入了 5001 字"),
        ({"allow_publish": "maybe"}, "allow_publish", "布尔值"),
        ({"consent": [True]}, "consent", "布尔值"),
    ],
)
def test_bad_fields_get_chinese_messages(
    overrides: dict[str, Any], field: str, message: str
) -> None:
    body = {**GOOD, **overrides}
    if overrides.get(field, "") is None:
        del body[field]
    _clean, errors = parse_case_in(body)
    assert message in errors[field][0]


@pytest.mark.parametrize(
    ("raw", "value"), [(True, True), ("true", True), (1, True), ("0", False), (False, False)]
)
def test_booleans_accept_what_drf_accepted(raw: Any, value: bool) -> None:
    clean, errors = parse_case_in({**GOOD, "allow_publish": raw})
    assert not errors
    assert clean["allow_publish"] is value


def test_numbers_in_text_fields_become_text_and_unknown_fields_are_ignored() -> None:
    clean, errors = parse_case_in({**GOOD, "place": 12, "extra": "x"})
    assert not errors
    assert clean["place"] == "12"
    assert "extra" not in clean


def test_the_documented_schema_and_the_parser_name_the_same_fields() -> None:
    """CaseInSerializer is the OpenAPI schema of what parse_case_in reads: they must not drift."""
    from liaison.cases.api_public import CaseInSerializer
    from liaison.cases.intake_spec import FIELDS

    fields = CaseInSerializer().fields
    assert set(fields) == {f.name for f in FIELDS}
    for field in FIELDS:
        assert fields[field.name].required is field.required, field.name
        assert getattr(fields[field.name], "max_length", None) == field.max_length, field.name
