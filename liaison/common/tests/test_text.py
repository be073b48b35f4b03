"""The one rule for characters no text field takes, and the one JSON reader."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from liaison.common.text import (
    MAX_JSON_DEPTH,
    JSONBodyError,
    SafeTextFormMixin,
    json_parse,
    refused_character,
    text_check,
    text_clean,
)

REFUSED = ["\x00", "\x1f", "\x7f", "\x80", "\x9f", "\ud800", "\udfff", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", REFUSED)
def test_refused_everywhere(char: str) -> None:
    assert refused_character(f"a{char}b", multiline=True) == char
    assert refused_character(f"a{char}b", multiline=False) == char


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_line_breaks_only_in_multi_line_fields(char: str) -> None:
    assert refused_character(f"a{char}b", multiline=True) is None
    assert refused_character(f"a{char}b", multiline=False) == char


@pytest.mark.parametrize("text", ["😀", "\u200b", "\u202e", "\ufffd", "\u3000", "\U0010fffd", "é"])
def test_ordinary_unicode_is_text(text: str) -> None:
    assert refused_character(text, multiline=False) is None


def test_message_names_the_field_and_the_code_point() -> None:
    with pytest.raises(ValidationError) as caught:
        text_check("x\x00", label="标题", multiline=False)
    assert caught.value.messages == ["标题中含有无法识别的控制字符（U+0000），请删除后再提交。"]
    assert caught.value.code == "control_character"


def test_clean_keeps_line_breaks_and_drops_the_rest() -> None:
    assert text_clean("a\x00b\tc\nd\ud800e\uffff") == "ab\tc\nde"


class _Form(SafeTextFormMixin, forms.Form):
    title = forms.CharField(label="标题")
    body = forms.CharField(label="正文", widget=forms.Textarea)


def test_form_mixin_refuses_per_widget() -> None:
    form = _Form({"title": "a\tb", "body": "a\tb\nc"})
    assert not form.is_valid()
    assert "标题" in form.errors["title"][0]
    assert "body" not in form.errors
    assert not _Form({"title": "a", "body": "b\x01"}).is_valid()
    assert _Form({"title": "a", "body": "b\r\n"}).is_valid()


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
        b"\xff",
        b"{bad",
        b'{"\\ud800": 1}',
    ],
)
def test_json_parse_refuses_in_chinese(raw: bytes) -> None:
    with pytest.raises(JSONBodyError) as caught:
        json_parse(raw)
    assert "请求体" in str(caught.value)


def test_json_parse_depth_ignores_brackets_inside_strings() -> None:
    text = '{"a": "' + "[" * 1000 + '"}'
    assert json_parse(text) == {"a": "[" * 1000}
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert json_parse(nested) is not None


def test_json_parse_leaves_string_surrogates_to_the_fields_unless_strict() -> None:
    assert json_parse(b'{"title": "\\ud800"}') == {"title": "\ud800"}
    with pytest.raises(JSONBodyError):
        json_parse(b'{"title": "\\ud800"}', strict=True)
    # A proper pair is one character, not a lone surrogate.
    assert json_parse(b'"\\ud83d\\ude00"', strict=True) == "😀"
